"""The web: the hosted verification flow for applicants (verify/) and the back office
for reviewers (backoffice/), server-rendered with Jinja2 and htmx."""
