"""The Synaps dialect: v4 tenant API (Api-Key) and v3 end-user API (Session-Id)."""
