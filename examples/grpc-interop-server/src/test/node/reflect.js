// Lists the services of a gRPC server through server reflection (v1, then v1alpha), describes one method, and calls
// it with the definition reflection gave, using only stock npm packages. Run by StockReflectionClientTest:
//   node reflect.js HOST:PORT SERVICE METHOD
// Prints one line per fact; exits 1 with the error on failure.
'use strict';

const grpc = require('@grpc/grpc-js');
const { GrpcReflection } = require('grpc-js-reflection-client');

const DEADLINE_MS = 10000;

function deadline() {
  return { deadline: Date.now() + DEADLINE_MS };
}

async function main() {
  const [address, service, method] = process.argv.slice(2);
  if (!address || !service || !method) {
    throw new Error('usage: node reflect.js HOST:PORT SERVICE METHOD');
  }
  const credentials = grpc.credentials.createInsecure();
  for (const version of ['v1', 'v1alpha']) {
    const client = new GrpcReflection(address, credentials, {}, version);
    const services = await client.listServices('', deadline());
    console.log(`services (${version}): ${services.join(' ')}`);
  }

  const reflection = new GrpcReflection(address, credentials, {}, 'v1');
  const methods = await reflection.listMethods(service, deadline());
  console.log(`methods of ${service}: ${methods.map((m) => m.name).join(' ')}`);
  const found = methods.find((m) => m.name === method);
  if (!found) {
    throw new Error(`no method ${method} in ${service}`);
  }
  const definition = found.definition;
  const request = definition.requestType.type;
  const response = definition.responseType.type;
  console.log(`method ${definition.path}: request ${request.name}, response ${response.name}, `
      + `client streaming ${definition.requestStream}, server streaming ${definition.responseStream}`);
  console.log(`fields of ${request.name}: ${request.field.map((f) => `${f.name}=${f.number}`).join(' ')}`);

  // a call made from the reflected definition alone: no .proto file on this side
  const descriptor = await reflection.getDescriptorBySymbol(service, deadline());
  const packageObject = descriptor.getPackageObject({ keepCase: true, longs: String, enums: String, defaults: true });
  const Client = service.split('.').reduce((object, part) => object[part], packageObject);
  const client = new Client(address, credentials);
  const answer = await new Promise((resolve, reject) => {
    client[method]({ response_size: 7 }, deadline(), (error, reply) => (error ? reject(error) : resolve(reply)));
  });
  console.log(`called ${method}: response payload of ${answer.payload.body.length} bytes`);
  client.close();
}

main().then(() => process.exit(0), (error) => {
  console.error(`reflection client failed: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
});
