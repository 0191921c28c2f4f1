// The official SynapseNode SDK (npm `synapsenode`), unchanged, against a live openkyc:
// only `client.host` is set. Prints one JSON object of what it saw; the Python test
// (tests/external/test_synapsenode.py) runs it and checks the object.
const fs = require('fs');
const Client = require('synapsenode').Client;

const env = process.env;
const dataUrl = (path) => 'data:image/jpeg;base64,' + fs.readFileSync(path).toString('base64');

async function errorOf(promise) {
  try {
    await promise;
    return null;
  } catch (err) {
    return err.response ? { status: err.response.status, body: err.response.data } : { message: String(err) };
  }
}

async function main() {
  const client = new Client({
    client_id: env.CLIENT_ID,
    client_secret: env.CLIENT_SECRET,
    fingerprint: env.FINGERPRINT,
    ip_address: '127.0.0.1',
    isProduction: false,
  });
  client.host = env.BASE_URL + '/v3.1';
  const out = {};
  const { data: sub } = await client.createSubscription(env.HOOK_URL);
  out.subscription = sub;
  const user = await client.createUser(JSON.parse(env.USER_BODY), '127.0.0.1');
  out.created = user.body;
  out.oauthKey = user.oauth_key;
  const kyc = JSON.parse(env.BASE_DOCUMENT);
  kyc.virtual_docs = [{ document_value: '111-22-2222', document_type: 'SSN' }];
  kyc.physical_docs = [
    { document_value: dataUrl(env.ID_PAGE), document_type: 'GOVT_ID' },
    { document_value: dataUrl(env.SELFIE), document_type: 'SELFIE' },
  ];
  out.submitted = (await user.addUserKyc({ documents: [kyc] })).data;
  let checked = null;
  for (let i = 0; i < 240; i += 1) {
    checked = (await client.getUser(user.id, { full_dehydrate: 'yes' })).body;
    const subs = checked.documents[0].physical_docs.concat(checked.documents[0].virtual_docs);
    if (subs.every((s) => s.status !== 'SUBMITTED|REVIEWING')) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  out.checked = checked;
  out.locked = (await user.updateUser({ permission: 'LOCKED' })).data;
  out.listed = (await client.getAllUsers({ per_page: 50 })).data;
  out.notFound = await errorOf(client.getUser('00000000-0000-0000-0000-000000000000'));
  const wrong = new Client({
    client_id: env.CLIENT_ID,
    client_secret: 'client_secret_wrong',
    fingerprint: env.FINGERPRINT,
    ip_address: '127.0.0.1',
    isProduction: false,
  });
  wrong.host = client.host;
  out.wrongSecret = await errorOf(wrong.getAllUsers());
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err));
  if (err && err.response) process.stderr.write(JSON.stringify(err.response.data));
  process.exit(1);
});
