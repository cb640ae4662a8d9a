/** The README of a new project. */
export function projectReadme(packageName: string, serviceName: string): string {
  return `# ${packageName}

An EdgeX-compatible device service on [@edgex-ts/device-sdk](https://www.npmjs.com/package/@edgex-ts/device-sdk),
made by \`npm init @edgex-ts/device-service\`. Its driver talks a toy line-based TCP protocol
(\`GET <name>\` → value, \`SET <name> <value>\` → \`OK\`, errors \`ERR <reason>\`); replace it with yours. Everything
EdgeX-specific — profiles, devices, auto-events, transforms, events on the message bus, REST and bus commands,
core-metadata provisioning, validation, discovery — comes from the SDK.

\`\`\`
src/driver.ts           the ProtocolDriver: the only code that knows your protocol
src/line-client.ts      the toy protocol's client (replace with your protocol's library)
src/index.ts            startService(): the service name (${serviceName}), default ports (REST 59990, gRPC 49990), res/ folders
src/main.ts             process entry
src/driver.test.ts      the driver in a real device service (@edgex-ts/testing: embedded broker, no EdgeX needed)
src/all-in-one.e2e.ts   the service against a running edgex-ts or EdgeX: readings reach core-data, commands round-trip
res/profiles/           device profiles (EdgeX YAML/JSON)
res/devices/            devices added at start (deviceList YAML or JSON array)
res/provisionwatchers/  provision watchers for discovery
\`\`\`

## Build, run, test

\`\`\`sh
npm install
npm run test:driver                        # the driver test alone: needs nothing running
npm test                                   # both tests: needs a running edgex-ts all-in-one (or EdgeX)
npm run build && npm start                 # REST 59990; the message bus and core-metadata on localhost's EdgeX ports
\`\`\`

\`res/devices/\` holds a line thermostat on 127.0.0.1:7070. A fake one for trying the service by hand (answers every
GET with 215): \`node -e "require('net').createServer(s=>s.on('data',d=>s.write(d.toString().startsWith('GET')?'215\\n':'OK\\n'))).listen(7070)"\`.
Configuration comes from environment variables (\`MESSAGEBUS_HOST\`, \`CLIENTS_CORE_METADATA_HOST\`, \`SERVICE_PORT\`, …) or a
YAML file (\`npm start -- --config config.yaml\`).

\`npm test\` finds the deployment on EdgeX's default ports of \`localhost\`; set \`EDGEX_HOST\`, \`CORE_DATA_PORT\`
(59880), \`CORE_METADATA_PORT\` (59881), \`CORE_COMMAND_PORT\` (59882), \`MESSAGEBUS_HOST\` and \`MESSAGEBUS_PORT\` (1883)
when it is elsewhere. The edgex-ts all-in-one: \`npm start\` in a checkout of edgex-ts, or
\`docker-compose -f compose/docker-compose.embedded.yml up -d\` there.

## Make it yours

1. **Name and ports** in \`src/index.ts\`: \`SERVICE_NAME\` (also the MQTT client id and the \`serviceName\` of its
   devices) and \`Service.Port\` / \`Service.GrpcPort\` (EdgeX device services use 599xx / 499xx).
2. **Protocol properties**: change \`LineProtocol\` in \`src/driver.ts\` and its \`protocolProperties\` key (\`line\`)
   to what a device of yours needs. core-metadata refuses devices whose properties do not fit, naming the property.
3. **Reads and writes**: replace \`exchange(...)\` in \`handleReadCommands\` / \`handleWriteCommands\`. Return one
   \`CommandValue\` per request with the resource's \`valueType\`. Throw to report a failure: the caller gets a 500
   naming the device, and \`Device.AllowedFails\` failed reads set the device DOWN until a probe succeeds.
4. **Devices that push** (traps, subscriptions): \`sdk.pushAsyncReadings(device, values, source?)\`.
5. **Discovery** (optional): implement \`discover()\`, report with \`sdk.publishDiscoveredDevices([...])\`, ship
   provision watchers in \`res/provisionwatchers/\` and set \`Device.Discovery.Enabled: true\`.
6. **Profiles and devices** in \`res/\`; **tests** in \`src/driver.test.ts\` against a real peer of your protocol.

Configuration (files, environment variables such as \`MESSAGEBUS_HOST\`, \`SERVICE_PORT\`, Consul) is the SDK's:
see the device SDK's README and edgex-ts's docs/sdk.md and docs/configuration.md.
`;
}
