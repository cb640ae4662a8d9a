import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { ConfigError, commonConfigSchema, configFileFromArgv, loadConfig } from './config.js';

function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgex-config-'));
  const file = join(dir, 'configuration.yaml');
  writeFileSync(file, text);
  return file;
}

test('defaults apply when nothing else is given', () => {
  const c = loadConfig({ service: 'core-data', schema: commonConfigSchema, argv: [], env: {} });
  assert.equal(c.Service.Host, 'localhost');
  assert.equal(c.Service.ServerBindAddr, '0.0.0.0');
  assert.equal(c.Service.MaxResultCount, 1024);
  assert.equal(c.Service.RequestTimeout, '5s');
  assert.equal(c.Service.MaxRequestSize, 25000);
  assert.equal(c.Writable.LogLevel, 'INFO');
  assert.equal(c.MessageBus.Port, 1883);
  assert.equal(c.MessageBus.Optional.Qos, 1);
  assert.equal(c.MessageBus.Optional.CleanSession, false);
  assert.equal(c.MessageBus.PayloadEncoding, 'base64');
  assert.equal(c.Database.Path, './data/core-data.db');
  assert.deepEqual(c.Clients, {});
});

test('precedence: defaults < service defaults < file < env < overrides', () => {
  const file = yamlFile(
    [
      'Service:',
      '  Port: 1111',
      '  GrpcPort: 2222',
      '  Host: from-file',
      'Writable:',
      '  LogLevel: DEBUG',
      'Clients:',
      '  core-metadata:',
      '    Host: meta-file',
      '    Port: 59881',
      '    GrpcPort: 49881',
      '',
    ].join('\n'),
  );
  const c = loadConfig({
    service: 'core-data',
    schema: commonConfigSchema,
    defaults: { Service: { Port: 59880, GrpcPort: 49880, MaxResultCount: 50 } },
    overrides: { Service: { Host: 'from-overrides' } },
    argv: ['node', 'main.js', '--config', file],
    env: {
      SERVICE_GRPCPORT: '3333',
      WRITABLE_LOGLEVEL: 'warn',
      MESSAGEBUS_HOST: 'broker',
      MESSAGEBUS_OPTIONAL_CLIENTID: 'cd-1',
      MESSAGEBUS_OPTIONAL_CLEANSESSION: 'true',
      DATABASE_PATH: '/tmp/x.db',
      CLIENTS_CORE_METADATA_GRPCPORT: '40000',
      CLIENTS_SUPPORT_NOTIFICATIONS_PORT: '59860',
      UNRELATED_VARIABLE: 'ignored',
    },
  });
  assert.equal(c.Service.Port, 1111, 'file beats service defaults');
  assert.equal(c.Service.GrpcPort, 3333, 'env beats file');
  assert.equal(c.Service.MaxResultCount, 50, 'service defaults beat defaults');
  assert.equal(c.Service.Host, 'from-overrides', 'overrides beat everything');
  assert.equal(c.Writable.LogLevel, 'WARN', 'enum env values are matched case-insensitively');
  assert.equal(c.MessageBus.Host, 'broker');
  assert.equal(c.MessageBus.Optional.ClientId, 'cd-1');
  assert.equal(c.MessageBus.Optional.CleanSession, true);
  assert.equal(c.Database.Path, '/tmp/x.db');
  assert.deepEqual(c.Clients['core-metadata'], { Host: 'meta-file', Port: 59881, GrpcPort: 40000 });
  assert.deepEqual(c.Clients['support-notifications'], { Host: 'localhost', Port: 59860, GrpcPort: 0 });
});

test('file from EDGEX_CONFIG_FILE when argv has no --config; --config=path form', () => {
  const file = yamlFile('Service:\n  Port: 4242\n');
  const c = loadConfig({ service: 's', schema: commonConfigSchema, argv: [], env: { EDGEX_CONFIG_FILE: file } });
  assert.equal(c.Service.Port, 4242);
  assert.equal(configFileFromArgv(['--config=/a.yaml']), '/a.yaml');
  assert.equal(configFileFromArgv(['-cf', '/b.yaml']), '/b.yaml');
});

test('env number that is not a number → ConfigError naming key and source', () => {
  assert.throws(
    () => loadConfig({ service: 's', schema: commonConfigSchema, argv: [], env: { SERVICE_PORT: 'abc' } }),
    (err: unknown) =>
      err instanceof ConfigError && err.message === 'config: Service.Port = "abc" (from env SERVICE_PORT): expected a number',
  );
});

test('bad values from file and env are reported with their source', () => {
  const file = yamlFile('Service:\n  MaxResultCount: "lots"\n');
  assert.throws(
    () => loadConfig({ service: 's', schema: commonConfigSchema, argv: ['--config', file], env: {} }),
    (err: unknown) => err instanceof ConfigError && err.message.startsWith(`config: Service.MaxResultCount = "lots" (from file ${file}):`),
  );
  assert.throws(
    () => loadConfig({ service: 's', schema: commonConfigSchema, argv: [], env: { SERVICE_REQUESTTIMEOUT: 'soon' } }),
    (err: unknown) =>
      err instanceof ConfigError &&
      /^config: Service\.RequestTimeout = "soon" \(from env SERVICE_REQUESTTIMEOUT\): expected a Go duration/.test(err.message),
  );
  assert.throws(
    () => loadConfig({ service: 's', schema: commonConfigSchema, argv: [], env: { WRITABLE_LOGLEVEL: 'LOUD' } }),
    (err: unknown) => err instanceof ConfigError && err.message.includes('Writable.LogLevel = "LOUD" (from env WRITABLE_LOGLEVEL)'),
  );
  assert.throws(
    () => loadConfig({ service: 's', schema: commonConfigSchema, argv: [], env: { MESSAGEBUS_DISABLED: 'maybe' } }),
    /MessageBus\.Disabled = "maybe" \(from env MESSAGEBUS_DISABLED\): expected true or false/,
  );
  assert.throws(
    () => loadConfig({ service: 's', schema: commonConfigSchema, argv: ['--config', '/nonexistent/c.yaml'], env: {} }),
    /cannot read config file \/nonexistent\/c\.yaml/,
  );
});

test('service schema extensions get env mapping and defaults too', () => {
  const schema = commonConfigSchema.extend({
    Writable: z.object({ LogLevel: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'), PersistData: z.boolean().default(true) }).prefault({}),
    MaxEventSize: z.number().default(25000),
  });
  const c = loadConfig({ service: 'core-data', schema, argv: [], env: { WRITABLE_PERSISTDATA: 'false', MAXEVENTSIZE: '10' } });
  assert.equal(c.Writable.PersistData, false);
  assert.equal(c.MaxEventSize, 10);
});
