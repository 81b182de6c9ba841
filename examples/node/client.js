// Puts a value through a kadmesh node, reads it back, deletes it and reads again, with a client
// made from the .proto files at run time. Prints one line a step; exits 1 on anything unexpected.
// Usage: node client.js [HOST:PORT] [KEY] (default 127.0.0.1:7700, a node's API port; greeting-from-node).
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const protoRoot = path.join(__dirname, '..', '..', 'proto');
const definition = protoLoader.loadSync('kadmesh/v1/dht.proto', {
  includeDirs: [protoRoot],
  longs: String,
  defaults: true,
});
const kadmesh = grpc.loadPackageDefinition(definition).kadmesh.v1;

const target = process.argv[2] || '127.0.0.1:7700';
const key = process.argv[3] || 'greeting-from-node';
const value = 'hello from Node.js';
const dht = new kadmesh.Dht(target, grpc.credentials.createInsecure());

function call(method, request) {
  // Every call carries a deadline, as every kadmesh client should.
  const deadline = new Date(Date.now() + 10_000);
  return new Promise((resolve, reject) =>
    dht[method](request, { deadline }, (err, response) => (err ? reject(err) : resolve(response))));
}

function expect(condition, what) {
  if (!condition) {
    throw new Error(`unexpected answer: ${what}`);
  }
}

async function main() {
  const put = await call('Put', { key, value: Buffer.from(value), ttl: { seconds: 3600 } });
  console.log(`put ${key}: stored on ${put.replicas} replica(s), version ${put.version.sequence}`);

  const got = await call('Get', { key });
  expect(got.found && got.value.toString('utf8') === value,
    got.found ? `read back ${got.value.toString('utf8')}` : 'not found after the put');
  console.log(`get ${key}: ${got.value.toString('utf8')}`);

  const deleted = await call('Delete', { key });
  console.log(`delete ${key}: tombstone on ${deleted.replicas} replica(s)`);

  const gone = await call('Get', { key });
  expect(!gone.found, `still found after the delete: ${gone.value.toString('utf8')}`);
  console.log(`get ${key}: not found`);

  // A bad request fails with a status, here INVALID_ARGUMENT naming the field.
  const refused = await call('Put', { key: '', value: Buffer.from('x') }).then(() => null, (err) => err);
  expect(refused && refused.code === grpc.status.INVALID_ARGUMENT,
    refused ? `an empty key failed with ${grpc.status[refused.code]}` : 'an empty key was stored');
  console.log(`put "": refused, ${grpc.status[refused.code]}: ${refused.details}`);
}

main()
  .catch((err) => {
    console.error(`kadmesh example failed: ${err.details ? `${grpc.status[err.code]}: ${err.details}` : err.message}`);
    process.exitCode = 1;
  })
  .finally(() => dht.close());
