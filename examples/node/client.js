// Puts a value through a kadmesh node and reads it back, with a client made from the .proto
// files at run time. Usage: node client.js [HOST:PORT] (default 127.0.0.1:7700, a node's API port).
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
const dht = new kadmesh.Dht(target, grpc.credentials.createInsecure());

function call(method, request) {
  // Every call carries a deadline, as every kadmesh client should.
  const deadline = new Date(Date.now() + 10_000);
  return new Promise((resolve, reject) =>
    dht[method](request, { deadline }, (err, response) => (err ? reject(err) : resolve(response))));
}

async function main() {
  const put = await call('Put', {
    key: 'greeting-from-node',
    value: Buffer.from('hello from Node.js'),
    ttl: { seconds: 3600 },
  });
  console.log(`stored on ${put.replicas} replicas, version ${put.version.sequence}`);

  const got = await call('Get', { key: 'greeting-from-node' });
  console.log(got.found ? `read back: ${got.value.toString('utf8')}` : 'not found');

  try {
    await call('Put', { key: '', value: Buffer.from('x') });
  } catch (err) {
    console.log(`an empty key is refused: ${grpc.status[err.code]}: ${err.details}`);
  }
  dht.close();
}

main().catch((err) => {
  console.error(`kadmesh example failed: ${err.message}`);
  process.exit(1);
});
