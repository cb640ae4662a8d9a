// GET /api/v3/uom and Writable.UoM.Validation, as EdgeX 3's core-metadata has them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse as parseToml } from 'smol-toml';
import { checkUnits, DEFAULT_UOM_FILE, loadUnitsOfMeasure, parseProfileFile } from '../domain/index.js';
import { startCoreMetadata } from '../index.js';
import { req } from '../test-support/fixtures.js';
import { startTestMetadata, tempDir } from '../test-support/harness.js';

const tmp = tempDir();
after(() => tmp.remove());

const OWN_UOM = join(tmp.dir, 'plant-uom.yaml');
writeFileSync(
  OWN_UOM,
  [
    'Source: plant engineering handbook',
    'Units:',
    '  temperature:',
    '    Source: site standard',
    '    Values: [C, K]',
    '  flow:',
    '    Values: [m3/h]',
    '',
  ].join('\n'),
);

function profileWithUnits(name: string, units: string[]) {
  return {
    name,
    manufacturer: 'Acme',
    model: 'Boiler-2',
    deviceResources: units.map((u, i) => ({ name: `R${i}`, properties: { valueType: 'Float32', readWrite: 'R', units: u } })),
    deviceCommands: [],
  };
}

describe('core-metadata units of measure', () => {
  it('serves the shipped units by default, and accepts any units while validation is off (the default)', async () => {
    const md = await startTestMetadata({ dbPath: join(tmp.dir, 'default.db') });
    try {
      const r = await md.call('GET', '/uom');
      assert.equal(r.status, 200);
      assert.equal(r.body.apiVersion, 'v3');
      assert.equal(r.body.statusCode, 200);
      assert.deepEqual(r.body.uom.units.temperature.values, ['C', 'F', 'K']);
      assert.ok(r.body.uom.units.pressure.values.includes('kPa'));

      const added = await md.call('POST', '/deviceprofile', [req('profile', profileWithUnits('Any-Units', ['furlongs/fortnight']))]);
      assert.equal(added.body[0].statusCode, 201, JSON.stringify(added.body));
    } finally {
      await md.stop();
    }
  });

  it('serves UoM.UoMFile as JSON, and as TOML with Accept: application/toml', async () => {
    const md = await startTestMetadata({ dbPath: join(tmp.dir, 'own.db'), config: { UoM: { UoMFile: OWN_UOM } } });
    try {
      const json = await md.call('GET', '/uom');
      assert.deepEqual(json.body.uom, {
        source: 'plant engineering handbook',
        units: { temperature: { source: 'site standard', values: ['C', 'K'] }, flow: { values: ['m3/h'] } },
      });
      const toml = await md.raw('GET', '/uom', { headers: { Accept: 'application/toml' } });
      assert.equal(toml.status, 200);
      // (smol-toml builds its tables without a prototype; compared as plain data)
      assert.deepEqual(JSON.parse(JSON.stringify(parseToml(toml.body as string))), {
        Source: 'plant engineering handbook',
        Units: { temperature: { Source: 'site standard', Values: ['C', 'K'] }, flow: { Values: ['m3/h'] } },
      });
    } finally {
      await md.stop();
    }
  });

  it('with Writable.UoM.Validation, refuses a profile whose resource units are unknown, naming resource and unit', async () => {
    const md = await startTestMetadata({
      dbPath: join(tmp.dir, 'validating.db'),
      config: { UoM: { UoMFile: OWN_UOM }, Writable: { UoM: { Validation: true } } },
    });
    try {
      const r = await md.call('POST', '/deviceprofile', [
        req('profile', profileWithUnits('Known-Units', ['C', 'm3/h', ''])),
        req('profile', profileWithUnits('Unknown-Units', ['C', 'F'])),
      ]);
      assert.equal(r.status, 207);
      assert.equal(r.body[0].statusCode, 201, JSON.stringify(r.body[0]));
      assert.equal(r.body[1].statusCode, 400);
      assert.equal(
        r.body[1].message,
        'deviceResources[1] R1: units "F" is not a unit of measure core-metadata knows (GET /api/v3/uom; Writable.UoM.Validation is on)',
      );
      assert.equal((await md.call('GET', '/deviceprofile/name/Unknown-Units')).status, 404);

      // Changing a stored profile is checked the same way.
      const resource = { profileName: 'Known-Units', resource: { name: 'R9', properties: { valueType: 'Float32', readWrite: 'R', units: 'psi' } } };
      const added = await md.call('POST', '/deviceprofile/resource', [{ apiVersion: 'v3', ...resource }]);
      assert.equal(added.body[0].statusCode, 400);
      assert.match(added.body[0].message, /R9: units "psi" is not a unit of measure/);
      const replaced = await md.call('PUT', '/deviceprofile', [req('profile', profileWithUnits('Known-Units', ['lb']))]);
      assert.equal(replaced.body[0].statusCode, 400);
      assert.deepEqual(
        (await md.call('GET', '/deviceprofile/name/Known-Units')).body.profile.deviceResources.map(
          (d: { properties: { units: string } }) => d.properties.units,
        ),
        ['C', 'm3/h', undefined], // an empty units is left out, as Go's omitempty does
      );
    } finally {
      await md.stop();
    }
  });

  it('a units file that is not valid stops the service with a message naming the file and the key', async () => {
    const bad = join(tmp.dir, 'bad-uom.yaml');
    writeFileSync(bad, 'Units:\n  temperature:\n    Values: C\n');
    await assert.rejects(
      startCoreMetadata({
        argv: [],
        env: {},
        configOverrides: {
          Service: { Port: 0, GrpcPort: 0 },
          MessageBus: { Disabled: true },
          Database: { Path: join(tmp.dir, 'bad.db') },
          UoM: { UoMFile: bad },
        },
      }),
      (err: Error) => err.message.startsWith(`UoM.UoMFile ${bad}: Units.temperature.Values: `),
    );
  });

  it('every profile shipped with edgex-ts passes validation against the shipped units', () => {
    const repo = new URL('../../../../', import.meta.url).pathname;
    const uom = loadUnitsOfMeasure(DEFAULT_UOM_FILE);
    const files = ['services', 'examples'].flatMap((top) =>
      readdirSync(join(repo, top)).flatMap((pkg) => {
        const dir = join(repo, top, pkg, 'res', 'profiles');
        try {
          return readdirSync(dir)
            .filter((f) => /\.(ya?ml|json)$/.test(f))
            .map((f) => join(dir, f));
        } catch {
          return [];
        }
      }),
    );
    assert.ok(files.length >= 5, `found only ${files.length} shipped profiles`);
    for (const file of files) assert.doesNotThrow(() => checkUnits(uom, parseProfileFile(readFileSync(file, 'utf8'))), file);
  });
});
