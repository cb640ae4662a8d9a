/**
 * MQTTBrokerInfo as EdgeX device-mqtt writes it, through the real service start: file, env overrides,
 * credentials, the bus client id kept apart, bad values refused with the key named.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startMosquitto, type MosquittoBroker } from '../../../test/helpers/mosquitto.js';
import { freePort } from '../../../test/helpers/ports.js';
import { brokerInfoSchema, brokerSettings, startDeviceMqtt, type DeviceMqttHandle, type StartDeviceMqttOptions } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'device-mqtt-config-'));
let bus: MosquittoBroker;

before(async () => {
  bus = await startMosquitto();
});
after(async () => {
  await bus?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// The MQTTBrokerInfo section of an EdgeX device-mqtt configuration.yaml, with its InsecureSecrets entry.
const EDGEX_FILE = `
Writable:
  LogLevel: ERROR
  InsecureSecrets:
    MQTT:
      SecretName: credentials
      SecretData: { username: dev-user, password: dev-pass }
Service: { Port: 59982 }
MQTTBrokerInfo:
  Schema: tcp
  Host: 127.0.0.1
  Port: 1
  Qos: 1
  KeepAlive: 3600
  ClientId: device-mqtt
  CredentialsRetryTime: 120
  CredentialsRetryWait: 1
  ConnEstablishingRetry: 10
  ConnRetryWaitTime: 5
  AuthMode: usernamepassword
  CredentialsName: credentials
  IncomingTopic: incoming/data/#
  ResponseTopic: command/response/#
  Writable:
    ResponseFetchInterval: 500
`;

let files = 0;
async function start(opts: { file?: string; env?: NodeJS.ProcessEnv; bus?: boolean; MQTTBrokerInfo?: object } = {}): Promise<DeviceMqttHandle> {
  let file: string | undefined;
  if (opts.file !== undefined) {
    file = join(dir, `configuration-${files++}.yaml`);
    writeFileSync(file, opts.file);
  }
  const dead = await freePort();
  const overrides: StartDeviceMqttOptions['configOverrides'] = {
    Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
    Writable: { LogLevel: 'ERROR' },
    MessageBus: opts.bus ? { Host: '127.0.0.1', Port: bus.port, Optional: { CleanSession: true } } : { Disabled: true },
    Clients: { 'core-metadata': { Host: '127.0.0.1', Port: dead, GrpcPort: dead } },
    Device: { DevicesDir: join(dir, 'no-devices') },
    ...(opts.MQTTBrokerInfo ? { MQTTBrokerInfo: opts.MQTTBrokerInfo } : {}),
  };
  return startDeviceMqtt({ file, argv: [], env: opts.env ?? {}, configOverrides: overrides });
}

test('an EdgeX device-mqtt configuration file loads unchanged; /api/v3/config shows MQTTBrokerInfo', async () => {
  const ds = await start({ file: EDGEX_FILE, bus: true });
  try {
    assert.deepEqual(ds.driver.settings, {
      url: 'mqtt://127.0.0.1:1',
      // the message bus's client id defaults to the service name, device-mqtt, too: the driver keeps apart
      clientId: 'device-mqtt-driver',
      clientIdNote: 'MQTTBrokerInfo.ClientId device-mqtt is also the message-bus client id; using device-mqtt-driver',
      username: 'dev-user',
      password: 'dev-pass',
      qos: 1,
      keepAliveSec: 3600,
      reconnectMs: 5000,
      attemptsBeforeError: 10,
      incomingTopic: 'incoming/data/#',
      responseTopic: 'command/response/#',
      responseTimeoutMs: 2500, // EdgeX polls 5 × ResponseFetchInterval
      maxPendingRequests: 256,
    });
    const config = (await (await fetch(`http://127.0.0.1:${ds.restPort}/api/v3/config`)).json()) as {
      config: { MQTTBrokerInfo?: { Port: number; AuthMode: string } };
    };
    assert.deepEqual([config.config.MQTTBrokerInfo?.Port, config.config.MQTTBrokerInfo?.AuthMode], [1, 'usernamepassword']);
  } finally {
    await ds.stop();
  }
});

test('environment variables override the file as in EdgeX (MQTTBROKERINFO_HOST, …)', async () => {
  const env = { MQTTBROKERINFO_HOST: 'localhost', MQTTBROKERINFO_CLIENTID: 'mqtt-ds', MQTTBROKERINFO_RESPONSETIMEOUT: '7s', MQTTBROKERINFO_SCHEMA: 'WS' };
  const ds = await start({ file: EDGEX_FILE, env });
  try {
    const s = ds.driver.settings!;
    assert.deepEqual([s.url, s.clientId, s.clientIdNote, s.responseTimeoutMs], ['ws://localhost:1', 'mqtt-ds', undefined, 7000]);
  } finally {
    await ds.stop();
  }
});

test('defaults: localhost:1883, QoS 0, client id device-mqtt, no credentials, 2.5 s response timeout', () => {
  // (not started: a driver on localhost:1883 could meet another client named device-mqtt on a shared machine)
  const s = brokerSettings(brokerInfoSchema.parse({}));
  assert.deepEqual(
    [s.url, s.clientId, s.qos, s.username, s.responseTimeoutMs, s.maxPendingRequests],
    ['mqtt://localhost:1883', 'device-mqtt', 0, undefined, 2500, 256],
  );
});

test('bad values stop the start with a message naming the key', async () => {
  const refused = (opts: Parameters<typeof start>[0], message: RegExp) => assert.rejects(start(opts), message);
  await refused({ env: { MQTTBROKERINFO_PORT: 'abc' } }, /MQTTBrokerInfo\.Port = "abc" \(from env MQTTBROKERINFO_PORT\): expected a number/);
  await refused({ MQTTBrokerInfo: { Qos: 3 } }, /MQTTBrokerInfo\.Qos = 3/);
  await refused({ MQTTBrokerInfo: { AuthMode: 'x509' } }, /MQTTBrokerInfo\.AuthMode = "x509".*expected none or usernamepassword/);
  await refused({ MQTTBrokerInfo: { AuthMode: 'usernamepassword' } }, /MQTTBrokerInfo\.AuthMode = "usernamepassword": needs credentials/);
  await refused({ MQTTBrokerInfo: { Schema: 'udp' } }, /MQTTBrokerInfo\.Schema = "udp": expected one of/);
  await refused({ MQTTBrokerInfo: { IncomingTopic: 'incoming/data' } }, /MQTTBrokerInfo\.IncomingTopic = "incoming\/data": must end with the wildcard level #/);
  await refused(
    { MQTTBrokerInfo: { ResponseTopic: 'command/response' } },
    /MQTTBrokerInfo\.ResponseTopic = "command\/response": must end with a wildcard level/,
  );
  await refused({ MQTTBrokerInfo: { ResponseTimeout: 'soon' } }, /MQTTBrokerInfo\.ResponseTimeout = "soon": invalid duration/);
});

test('Username/Password in MQTTBrokerInfo serve when no InsecureSecrets entry matches', async () => {
  const ds = await start({ MQTTBrokerInfo: { AuthMode: 'UsernamePassword', Username: 'u', Password: 'p' } });
  try {
    assert.deepEqual([ds.driver.settings!.username, ds.driver.settings!.password], ['u', 'p']);
  } finally {
    await ds.stop();
  }
});
