/** MQTTBrokerInfo as EdgeX device-mqtt writes it: file, env overrides, credentials, bad values. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadBrokerSettings } from './config.js';

function withFile(text: string, fn: (file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'device-mqtt-config-'));
  try {
    const file = join(dir, 'configuration.yaml');
    writeFileSync(file, text);
    fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The MQTTBrokerInfo section of an EdgeX device-mqtt configuration.yaml, with its InsecureSecrets entry.
const EDGEX_FILE = `
Writable:
  LogLevel: INFO
  InsecureSecrets:
    MQTT:
      SecretName: credentials
      SecretData: { username: dev-user, password: dev-pass }
Service: { Port: 59982 }
MQTTBrokerInfo:
  Schema: tcp
  Host: broker.local
  Port: 1884
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

test('an EdgeX device-mqtt configuration file loads unchanged', () => {
  withFile(EDGEX_FILE, (file) => {
    const s = loadBrokerSettings({ service: 'device-mqtt', file, argv: [], env: {} });
    assert.deepEqual(s, {
      url: 'mqtt://broker.local:1884',
      // the message bus defaults to client id device-mqtt too: the driver keeps apart
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
  });
});

test('environment variables override the file as in EdgeX (MQTTBROKERINFO_HOST, …)', () => {
  withFile(EDGEX_FILE, (file) => {
    const s = loadBrokerSettings({
      service: 'device-mqtt',
      file,
      argv: [],
      env: { MQTTBROKERINFO_HOST: 'edgex-mqtt-broker', MQTTBROKERINFO_CLIENTID: 'mqtt-ds', MQTTBROKERINFO_RESPONSETIMEOUT: '7s', MQTTBROKERINFO_SCHEMA: 'SSL' },
    });
    assert.equal(s.url, 'mqtts://edgex-mqtt-broker:1884');
    assert.equal(s.clientId, 'mqtt-ds');
    assert.equal(s.clientIdNote, undefined);
    assert.equal(s.responseTimeoutMs, 7000);
  });
});

test('defaults: localhost:1883, QoS 0, no credentials', () => {
  const s = loadBrokerSettings({ service: 'device-mqtt', argv: [], env: {}, overrides: { MessageBus: { Optional: { ClientId: 'bus' } } } });
  assert.deepEqual([s.url, s.clientId, s.qos, s.username, s.responseTimeoutMs], ['mqtt://localhost:1883', 'device-mqtt', 0, undefined, 2500]);
});

test('bad values stop the service with a message naming the key', () => {
  const load = (MQTTBrokerInfo: object, env: NodeJS.ProcessEnv = {}) => () =>
    loadBrokerSettings({ service: 'device-mqtt', argv: [], env, overrides: { MQTTBrokerInfo } });
  assert.throws(load({}, { MQTTBROKERINFO_PORT: 'abc' }), /MQTTBrokerInfo\.Port = "abc" \(from env MQTTBROKERINFO_PORT\): expected a number/);
  assert.throws(load({ Qos: 3 }), /MQTTBrokerInfo\.Qos = 3/);
  assert.throws(load({ AuthMode: 'x509' }), /MQTTBrokerInfo\.AuthMode = "x509".*expected none or usernamepassword/);
  assert.throws(load({ AuthMode: 'usernamepassword' }), /MQTTBrokerInfo\.AuthMode = "usernamepassword": needs credentials/);
  assert.throws(load({ Schema: 'udp' }), /MQTTBrokerInfo\.Schema = "udp": expected one of/);
  assert.throws(load({ IncomingTopic: 'incoming/data' }), /MQTTBrokerInfo\.IncomingTopic = "incoming\/data": must end with the wildcard level #/);
  assert.throws(load({ ResponseTopic: 'command/response' }), /MQTTBrokerInfo\.ResponseTopic = "command\/response": must end with a wildcard level/);
  assert.throws(load({ ResponseTimeout: 'soon' }), /MQTTBrokerInfo\.ResponseTimeout = "soon": invalid duration/);
  const direct = loadBrokerSettings({ service: 'device-mqtt', argv: [], env: {}, overrides: { MQTTBrokerInfo: { AuthMode: 'UsernamePassword', Username: 'u', Password: 'p' } } });
  assert.deepEqual([direct.username, direct.password], ['u', 'p']);
});
