import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { ConfigError, coerceProviderValue, commonConfigSchema, configFileFromArgv, isFixedLocally, loadConfig, validateKey } from './config.js';

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
    (err: unknown) => err instanceof ConfigError && err.message === 'config: Service.Port = "abc" (from env SERVICE_PORT): expected a number',
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
      err instanceof ConfigError && /^config: Service\.RequestTimeout = "soon" \(from env SERVICE_REQUESTTIMEOUT\): expected a Go duration/.test(err.message),
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

test('env values reach keys behind every wrapper and pipe, read as the type inside', () => {
  const schema = commonConfigSchema.extend({
    Driver: z
      .object({
        Retries: z.number().int().optional(),
        Ratio: z.number().nullable().default(null),
        Strict: z.boolean().exactOptional(),
        Mode: z.enum(['fast', 'safe']).default('safe').catch('safe'),
        Level: z.union([z.literal(0), z.literal(1)]).default(0),
        Seconds: z
          .number()
          .default(1)
          .transform((n) => n * 1000),
        Tags: z.array(z.string()).readonly().default([]),
        Limits: z.object({ Max: z.number().default(1) }).prefault({}),
        Since: z.date().optional(),
      })
      .prefault({}),
  });
  const c = loadConfig({
    service: 'device-x',
    schema,
    argv: [],
    env: {
      DRIVER_RETRIES: '3',
      DRIVER_RATIO: '0.5',
      DRIVER_STRICT: 'yes',
      DRIVER_MODE: 'FAST',
      DRIVER_LEVEL: '1',
      DRIVER_SECONDS: '2',
      DRIVER_TAGS: '["a","b"]',
      DRIVER_LIMITS_MAX: '7',
      MESSAGEBUS_OPTIONAL_QOS: '2',
    },
  });
  assert.deepEqual(c.Driver, {
    Retries: 3,
    Ratio: 0.5,
    Strict: true,
    Mode: 'fast',
    Level: 1,
    Seconds: 2000,
    Tags: ['a', 'b'],
    Limits: { Max: 7 },
  });
  assert.equal(c.MessageBus.Optional.Qos, 2, 'a union of number literals is read as a number');
  assert.throws(
    () => loadConfig({ service: 'device-x', schema, argv: [], env: { DRIVER_TAGS: 'a,b' } }),
    (err: unknown) => err instanceof ConfigError && err.message === 'config: Driver.Tags = "a,b" (from env DRIVER_TAGS): expected JSON (array)',
  );
  assert.throws(
    () => loadConfig({ service: 'device-x', schema, argv: [], env: { DRIVER_SINCE: 'yesterday' } }),
    (err: unknown) => err instanceof ConfigError && err.message.startsWith('config: Driver.Since = "yesterday" (from env DRIVER_SINCE): '),
    'a key of a type env text is not converted to reaches zod as text and is refused naming the key',
  );
});

test("provider values (Consul KV) are read as the key's type; keys are validated alone and in the whole config", () => {
  const c = loadConfig({ service: 'core-data', schema: commonConfigSchema, argv: [], env: { SERVICE_PORT: '59880' } });
  assert.equal(coerceProviderValue(c, ['Writable', 'LogLevel'], 'debug', 'consul x'), 'DEBUG');
  assert.equal(coerceProviderValue(c, ['Service', 'MaxResultCount'], '20', 'consul x'), 20);
  assert.equal(coerceProviderValue(c, ['Clients', 'core-metadata', 'Port'], '59881', 'consul x'), 59881, 'a record entry');
  assert.equal(coerceProviderValue(c, ['MessageBus', 'Optional', 'CleanSession'], 'true', 'consul x'), true);
  assert.equal(coerceProviderValue(c, ['Service', 'Nope'], '1', 'consul x'), undefined, 'an unknown key');
  assert.equal(coerceProviderValue(c, ['Service'], '{}', 'consul x'), undefined, 'a section is not a key');
  assert.throws(
    () => coerceProviderValue(c, ['Service', 'Port'], 'eighty', 'consul edgex-ts/core-data/Service/Port'),
    (err: unknown) =>
      err instanceof ConfigError && err.message === 'config: Service.Port = "eighty" (from consul edgex-ts/core-data/Service/Port): expected a number',
  );

  assert.deepEqual(validateKey(c, ['Writable', 'LogLevel'], 'WARN'), { ok: true, value: 'WARN' });
  assert.deepEqual(validateKey(c, ['Service', 'RequestTimeout'], '2s'), { ok: true, value: '2s' });
  const tooBig = validateKey(c, ['Service', 'Port'], 70000);
  assert.equal(tooBig.ok, false);
  assert.deepEqual(validateKey(c, ['Service', 'Nope'], 1), { ok: false, reason: 'unknown key' });
  const mongoWithoutUrl = validateKey(c, ['Database', 'Type'], 'mongodb');
  assert.ok(!mongoWithoutUrl.ok && mongoWithoutUrl.reason.includes('Database.Url'), 'checked within the whole config too');

  assert.equal(isFixedLocally(c, ['Service', 'Port']), true, 'set by the environment');
  assert.equal(isFixedLocally(c, ['Service', 'GrpcPort']), false);
});
