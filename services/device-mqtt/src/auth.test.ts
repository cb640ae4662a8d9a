/**
 * AuthMode usernamepassword against a real Mosquitto that refuses anonymous clients: credentials from an EdgeX
 * config file's Writable.InsecureSecrets reach the broker; wrong ones are logged and retried, never fatal.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { createLogger } from '@edgex-ts/runtime';
import { startConsul } from '../../../test/helpers/consul.js';
import { acceptsConnections, freePort } from '../../../test/helpers/ports.js';
import { waitFor } from '../../../test/helpers/wait.js';
import { startDeviceMqtt, type DeviceMqttHandle } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'device-mqtt-auth-'));
let broker: ChildProcess;
let port: number;

/** Mosquitto with one user (edgex / s3cret) and no anonymous access; the shared helper has no auth option. */
before(async () => {
  port = await freePort();
  const passwords = join(dir, 'passwords');
  const made = spawnSync('mosquitto_passwd', ['-b', '-c', passwords, 'edgex', 's3cret']);
  assert.equal(made.status, 0, `mosquitto_passwd: ${made.stderr}`);
  const conf = join(dir, 'mosquitto.conf');
  // `user`: started as root, Mosquitto would drop to its own user, which cannot read our private temp dir
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous false', `password_file ${passwords}`, `user ${userInfo().username}`, ''].join('\n'));
  const binary = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => spawnSync(p, ['-h']).error === undefined);
  assert.ok(binary, 'mosquitto is not installed');
  broker = spawn(binary, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  broker.stderr?.on('data', (d) => (stderr += d));
  await waitFor(`mosquitto with a password file on ${port} (${stderr.trim()})`, () => acceptsConnections(port));
});

after(async () => {
  if (broker && broker.exitCode === null) {
    const exited = new Promise((r) => broker.once('exit', r));
    broker.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

async function start(password: string, lines: { level: number; msg: string; err?: string }[], env: NodeJS.ProcessEnv = {}): Promise<DeviceMqttHandle> {
  const file = join(dir, `configuration-${password}.yaml`);
  writeFileSync(
    file,
    [
      'Writable:',
      '  LogLevel: INFO',
      '  InsecureSecrets:',
      '    MQTT:',
      '      SecretName: credentials',
      `      SecretData: { username: edgex, password: ${password} }`,
      'MQTTBrokerInfo:',
      '  Host: 127.0.0.1',
      `  Port: ${port}`,
      `  ClientId: auth-${password}-${process.pid}`,
      '  AuthMode: usernamepassword',
      '  CredentialsName: credentials',
      '  ConnRetryWaitTime: 0.1',
      '',
    ].join('\n'),
  );
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return startDeviceMqtt({
    file,
    argv: [],
    env,
    log: createLogger('device-mqtt', 'INFO', sink),
    configOverrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
      MessageBus: { Disabled: true },
      Clients: { 'core-metadata': { Host: '127.0.0.1', Port: await freePort(), GrpcPort: await freePort() } },
    },
  });
}

test('credentials from Writable.InsecureSecrets open the device broker; readings sent with mosquitto_pub arrive', async () => {
  const ds = await start('s3cret', []);
  try {
    await waitFor('the driver connected with credentials', () => ds.driver.ready);
    // the example device of res/ is loaded: publish a reading for it the way docs/devices/mqtt.md shows
    const pub = spawnSync('mosquitto_pub', [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-u',
      'edgex',
      '-P',
      's3cret',
      '-t',
      'incoming/data/MQTT-test-device/message',
      '-m',
      'hello from the device',
    ]);
    assert.equal(pub.status, 0, String(pub.stderr));
    await waitFor('the reading taken', () => ds.driver.stats.incomingPushed === 1);
  } finally {
    await ds.stop();
  }
});

test("a wrong password is logged with the broker's reason and retried; the service stays up", async () => {
  const lines: { level: number; msg: string; err?: string }[] = [];
  const ds = await start('wrong', lines);
  try {
    await waitFor('the refusal logged', () => lines.find((l) => l.level === 40 && /not authori[sz]ed/i.test(l.err ?? '')));
    assert.equal(ds.driver.ready, false);
    assert.equal((await fetch(`http://127.0.0.1:${ds.restPort}/api/v3/ping`)).status, 200);
  } finally {
    await ds.stop();
  }
});

test('a password rotated with POST /api/v3/secret (configuration in Consul) reconnects the driver, no restart needed', async () => {
  const consul = await startConsul();
  const lines: { level: number; msg: string; err?: string }[] = [];
  const ds = await start('outdated', lines, { CONSUL_HTTP_ADDR: consul.addr });
  try {
    await waitFor('the refusal logged', () => lines.find((l) => l.level === 40 && /not authori[sz]ed/i.test(l.err ?? '')));
    const res = await fetch(`http://127.0.0.1:${ds.restPort}/api/v3/secret`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'v3',
        secretName: 'credentials',
        secretData: [
          { key: 'username', value: 'edgex' },
          { key: 'password', value: 's3cret' },
        ],
      }),
    });
    assert.equal(res.status, 201, await res.text());
    await waitFor('the driver connected with the new password', () => ds.driver.ready);
    assert.equal(ds.driver.settings?.password, 's3cret');
    const pub = spawnSync('mosquitto_pub', [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-u',
      'edgex',
      '-P',
      's3cret',
      '-t',
      'incoming/data/MQTT-test-device/message',
      '-m',
      'after the rotation',
    ]);
    assert.equal(pub.status, 0, String(pub.stderr));
    await waitFor('the reading taken', () => ds.driver.stats.incomingPushed === 1);
  } finally {
    await ds.stop();
    await consul.stop();
  }
});
