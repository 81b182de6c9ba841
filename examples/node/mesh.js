// Announces an endpoint of a service through a kadmesh node, resolves the service, watches it,
// announces a second endpoint and prints the ADDED event the watch sees, withdraws it and prints
// REMOVED, then withdraws the first. Prints one line a step; every wait is bounded (the watch has
// a 30 s deadline), so it never hangs; exits 1 on a failed call, an unexpected answer or a timeout.
// Usage: node mesh.js [HOST:PORT] [SERVICE] [ENDPOINT] [SECOND_ENDPOINT]
// (defaults 127.0.0.1:7700, orders-from-node, 127.0.0.1:50061, 127.0.0.1:50062; nothing needs to
// listen on the endpoints: the node publishes what it is told).
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const protoRoot = path.join(__dirname, '..', '..', 'proto');
const definition = protoLoader.loadSync('kadmesh/v1/dht.proto', {
  includeDirs: [protoRoot],
  longs: String,
  enums: String,
  defaults: true,
});
const kadmesh = grpc.loadPackageDefinition(definition).kadmesh.v1;

const target = process.argv[2] || '127.0.0.1:7700';
const service = process.argv[3] || 'orders-from-node';
const first = process.argv[4] || '127.0.0.1:50061';
const second = process.argv[5] || '127.0.0.1:50062';
const WATCH_MILLIS = 30_000;
const dht = new kadmesh.Dht(target, grpc.credentials.createInsecure());

function call(method, request) {
  // Every call carries a deadline, as every kadmesh client should.
  const deadline = new Date(Date.now() + 10_000);
  return new Promise((resolve, reject) =>
    dht[method](request, { deadline }, (err, response) => (err ? reject(err) : resolve(response))));
}

/** The events of one Watch call, read one at a time with next(). */
class EventStream {
  constructor(request) {
    // The stream's deadline bounds every wait: DEADLINE_EXCEEDED instead of a hang.
    this.call = dht.Watch(request, { deadline: new Date(Date.now() + WATCH_MILLIS) });
    this.queue = [];
    this.waiting = null;
    this.failure = null;
    this.call.on('data', (event) => this.push(event));
    this.call.on('error', (err) => this.fail(err));
    this.call.on('end', () => this.fail(new Error('the node ended the watch')));
  }

  push(event) {
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve(event);
    } else {
      this.queue.push(event);
    }
  }

  fail(err) {
    this.failure = this.failure || err;
    if (this.waiting) {
      const { reject } = this.waiting;
      this.waiting = null;
      reject(this.failure);
    }
  }

  next() {
    if (this.queue.length > 0) {
      return Promise.resolve(this.queue.shift());
    }
    if (this.failure) {
      return Promise.reject(this.failure);
    }
    return new Promise((resolve, reject) => { this.waiting = { resolve, reject }; });
  }

  /** Reads until an event of this type (for this address, if given); others are skipped. */
  async until(type, address) {
    for (;;) {
      const event = await this.next();
      if (event.type === type && (!address || event.endpoint.address === address)) {
        return event;
      }
    }
  }

  cancel() {
    this.call.cancel();
  }
}

function expect(condition, what) {
  if (!condition) {
    throw new Error(`unexpected answer: ${what}`);
  }
}

async function announce(endpoint) {
  const answer = await call('Announce', { service, endpoint, metadata: { example: 'node' } });
  console.log(`announce ${service} ${endpoint}: on ${answer.replicas} replica(s)`);
}

async function withdraw(endpoint) {
  await call('Withdraw', { service, endpoint });
  console.log(`withdraw ${service} ${endpoint}`);
}

async function main() {
  await announce(first);

  const resolved = await call('Resolve', { service });
  const addresses = [...new Set(resolved.endpoints.map((e) => e.address))].sort();
  expect(addresses.includes(first), `resolve ${service}: ${first} not among ${addresses.join(' ')}`);
  console.log(`resolve ${service}: ${addresses.join(' ')}`);

  const events = new EventStream({ service });
  try {
    let current = new Set();
    for (;;) {
      const event = await events.next();
      if (event.type === 'WATCH_EVENT_TYPE_ENDPOINT_ADDED') {
        current.add(event.endpoint.address);
      } else if (event.type === 'WATCH_EVENT_TYPE_ENDPOINT_REMOVED') {
        current.delete(event.endpoint.address);
      } else if (event.type === 'WATCH_EVENT_TYPE_RESYNC') {
        current = new Set();
      } else if (event.type === 'WATCH_EVENT_TYPE_SYNCED') {
        break;
      }
    }
    console.log(`watch ${service}: synced, ${[...current].sort().join(' ')}`);

    await announce(second);
    const added = await events.until('WATCH_EVENT_TYPE_ENDPOINT_ADDED', second);
    console.log(`watch ${service}: added ${added.endpoint.address}`);

    await withdraw(second);
    const removed = await events.until('WATCH_EVENT_TYPE_ENDPOINT_REMOVED', second);
    console.log(`watch ${service}: removed ${removed.endpoint.address}`);
  } finally {
    events.cancel();
  }

  await withdraw(first);
}

main()
  .catch((err) => {
    console.error(`kadmesh example failed: ${err.details ? `${grpc.status[err.code]}: ${err.details}` : err.message}`);
    process.exitCode = 1;
  })
  .finally(() => dht.close());
