import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../../../test/helpers/wait.js';
import { PEER_ORIGIN } from '../test-support/device-peer.js';
import { edgexCbor } from '../../../../test/edgex/go-cbor/vectors.js';
import { DEVICES, startCommandWorld, type CommandWorld } from '../test-support/harness.js';

describe('core-command REST (real Mosquitto, core-metadata and a device-service peer)', () => {
  let w: CommandWorld;
  before(async () => {
    w = await startCommandWorld();
  });
  after(async () => {
    await w?.stop();
  });

  const lastReceived = () => w.peer.received.at(-1)!;

  describe('GET /device/all and /device/name/{name}', () => {
    it('lists every device with its commands, paged, totalCount counting all', async () => {
      const all = await w.call('GET', '/device/all?limit=-1');
      assert.equal(all.status, 200);
      assert.equal(all.body.apiVersion, 'v3');
      assert.equal(all.body.statusCode, 200);
      assert.equal(all.body.totalCount, DEVICES.length);
      assert.deepEqual(all.body.deviceCoreCommands.map((d: any) => d.deviceName).sort(), [...DEVICES].sort());

      const page = await w.call('GET', '/device/all?offset=1&limit=2');
      assert.equal(page.status, 200);
      assert.equal(page.body.totalCount, DEVICES.length);
      assert.equal(page.body.deviceCoreCommands.length, 2);
      assert.equal((await w.call('GET', '/device/all?limit=abc')).status, 400);
      const past = await w.call('GET', '/device/all?offset=100');
      assert.equal(past.status, 416, past.text);
    });

    it('one device: its commands with get/set, path and core-command url', async () => {
      const res = await w.call('GET', '/device/name/t-1');
      assert.equal(res.status, 200);
      const d = res.body.deviceCoreCommand;
      assert.equal(d.deviceName, 't-1');
      assert.equal(d.profileName, 'Thermostat');
      assert.deepEqual(
        d.coreCommands.map((c: any) => c.name),
        ['Status', 'Mode', 'Temperature', 'SetPoint', 'Reset', 'Image'],
      );
      assert.deepEqual(d.coreCommands[0], {
        name: 'Status',
        get: true,
        set: false,
        path: '/api/v3/device/name/t-1/Status',
        url: w.url,
        parameters: [
          { resourceName: 'Temperature', valueType: 'Float64' },
          { resourceName: 'SetPoint', valueType: 'Float64' },
        ],
      });
    });

    it('404 for an unknown device', async () => {
      const res = await w.call('GET', '/device/name/nope');
      assert.equal(res.status, 404);
      assert.equal(res.body.statusCode, 404);
      assert.match(res.body.message, /nope/);
    });
  });

  describe('GET /device/name/{name}/{command}', () => {
    it('returns the event from the device service; ds-* defaults go in the request envelope', async () => {
      const res = await w.call('GET', '/device/name/t-1/Status', { headers: { 'X-Correlation-ID': '0b8a3a4e-1111-4a4a-9b9b-000000000042' } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.apiVersion, 'v3');
      assert.equal(res.body.statusCode, 200);
      assert.equal(res.body.event.deviceName, 't-1');
      assert.equal(res.body.event.sourceName, 'Status');
      assert.equal(res.body.event.origin, PEER_ORIGIN);
      assert.equal(res.body.event.readings[0].value, '2.150000e+01');
      const got = lastReceived();
      assert.deepEqual([got.deviceName, got.commandName, got.method], ['t-1', 'Status', 'get']);
      assert.deepEqual(got.queryParams, { 'ds-pushevent': 'false', 'ds-returnevent': 'true' });
      assert.equal(got.correlationID, '0b8a3a4e-1111-4a4a-9b9b-000000000042');
    });

    it('passes ds-pushevent and other query parameters through', async () => {
      const res = await w.call('GET', '/device/name/t-2/Temperature?ds-pushevent=true&unit=F');
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(lastReceived().queryParams, { 'ds-pushevent': 'true', 'ds-returnevent': 'true', unit: 'F' });
    });

    it("a Binary resource: the device service's CBOR answer (EdgeX's Go SDK) reaches the REST client as EdgeX's JSON", async () => {
      const res = await fetch(`${w.base}/device/name/t-1/Image`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type')?.split(';')[0], 'application/json');
      const text = await res.text();
      // 64-bit origins exact, as EdgeX writes them.
      assert.match(text, /"origin":1796657960933599538,/);
      const body = JSON.parse(text) as { statusCode: number; event: { readings: Record<string, unknown>[] } };
      assert.equal(body.statusCode, 200);
      const edgex = JSON.parse(edgexCbor.eventJson) as { readings: Record<string, unknown>[] };
      const image = body.event.readings[0];
      assert.deepEqual(
        { valueType: image.valueType, binaryValue: image.binaryValue, mediaType: image.mediaType },
        { valueType: 'Binary', binaryValue: edgex.readings[0].binaryValue, mediaType: 'image/png' },
      );
      assert.equal(body.event.readings[1].value, '18446744073709551615');
    });

    it("ds-returnevent=false: 200 with an empty body, Content-Type application/json and the correlation id (EdgeX's headers)", async () => {
      const res = await fetch(`${w.base}/device/name/t-1/Status?ds-returnevent=false`, {
        headers: { 'X-Correlation-ID': '0b8a3a4e-1111-4a4a-9b9b-000000000043' },
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.equal(res.headers.get('x-correlation-id'), '0b8a3a4e-1111-4a4a-9b9b-000000000043');
      assert.equal(res.headers.get('content-length'), '0');
      assert.equal(await res.text(), '');
      assert.equal(lastReceived().queryParams['ds-returnevent'], 'false');
    });

    it('400 for a ds-* value other than true/false', async () => {
      const res = await w.call('GET', '/device/name/t-1/Status?ds-pushevent=yes');
      assert.equal(res.status, 400);
      assert.match(res.body.message, /ds-pushevent/);
    });

    it('404 for an unknown device or a name that is no command, resource or resource pattern; nothing sent', async () => {
      const before = w.peer.received.length;
      for (const path of ['/device/name/nope/Status', '/device/name/t-1/Nope', '/device/name/t-1/Temp', '/device/name/t-1/Temp.*?ds-regexcmd=false']) {
        const res = await w.call('GET', path);
        assert.equal(res.status, 404, `${path}: ${res.text}`);
      }
      assert.equal(w.peer.received.length, before, 'nothing reached the device service');
    });

    it("hidden commands and resources are read as EdgeX's device SDK reads them (hiding keeps them out of the listings only)", async () => {
      for (const name of ['Hidden', 'Secret']) {
        const res = await w.call('GET', `/device/name/t-1/${name}`);
        assert.equal(res.status, 200, `${name}: ${res.text}`);
        assert.equal(lastReceived().commandName, name);
      }
    });

    it('ds-regexcmd (on by default): a name that matches resources as a regular expression goes to the device service, as with EdgeX', async () => {
      const res = await w.call('GET', `/device/name/t-1/${encodeURIComponent('(Temperature|SetPoint)')}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(lastReceived().commandName, '(Temperature|SetPoint)');
      assert.equal((await w.call('GET', `/device/name/t-1/${encodeURIComponent('Temp.*')}`)).status, 200);
      assert.equal(lastReceived().commandName, 'Temp.*');
      const writeOnly = await w.call('GET', `/device/name/t-1/${encodeURIComponent('Res.*')}`);
      assert.equal(writeOnly.status, 405, writeOnly.text);
      const bad = await w.call('GET', `/device/name/t-1/${encodeURIComponent('Temp(')}`);
      assert.equal(bad.status, 400, bad.text);
      assert.match(bad.body.message, /regular expression/);
    });

    it('423 for a LOCKED or DOWN device', async () => {
      for (const name of ['t-locked', 't-down']) {
        const res = await w.call('GET', `/device/name/${name}/Status`);
        assert.equal(res.status, 423, res.text);
        assert.match(res.body.message, new RegExp(name));
      }
    });

    it('423 while the device service is LOCKED, nothing sent to it', async () => {
      await w.metadataClient.updateDeviceService({ name: 'silent-ds', adminState: 'LOCKED' });
      try {
        // core-command learns of the change through core-metadata's system event
        const res = await waitFor('core-command to see silent-ds LOCKED', async () => {
          const r = await w.call('GET', '/device/name/t-silent/Status');
          return r.status === 423 ? r : undefined;
        });
        assert.match(res.body.message, /device service silent-ds/);
      } finally {
        await w.metadataClient.updateDeviceService({ name: 'silent-ds', adminState: 'UNLOCKED' });
        await waitFor('core-command to see silent-ds UNLOCKED', async () => (await w.call('GET', '/device/name/t-silent/Status')).status !== 423);
      }
    });

    it('a device LOCKED and UNLOCKED in core-metadata: core-command follows (system events drop its cached lookups)', async () => {
      assert.equal((await w.call('GET', '/device/name/t-2/Status')).status, 200);
      await w.metadataClient.updateDevice({ name: 't-2', adminState: 'LOCKED' });
      await waitFor('423 for t-2', async () => (await w.call('GET', '/device/name/t-2/Status')).status === 423);
      await w.metadataClient.updateDevice({ name: 't-2', adminState: 'UNLOCKED' });
      await waitFor('200 for t-2 again', async () => (await w.call('GET', '/device/name/t-2/Status')).status === 200);
    });

    it('405 for reading a write-only command', async () => {
      const res = await w.call('GET', '/device/name/t-1/Reset');
      assert.equal(res.status, 405, res.text);
    });

    it("the device service's error: its status when it gives one, else 500 with its message", async () => {
      const broken = await w.call('GET', '/device/name/t-broken/Status');
      assert.equal(broken.status, 500);
      assert.match(broken.body.message, /driver exploded/);
      const gone = await w.call('GET', '/device/name/t-gone/Status');
      assert.equal(gone.status, 404);
      assert.match(gone.body.message, /not known here/);
    });

    it('503 when the device service does not answer within Service.RequestTimeout', async () => {
      const started = Date.now();
      const res = await w.call('GET', '/device/name/t-silent/Status');
      assert.equal(res.status, 503, res.text);
      assert.match(res.body.message, /silent-ds/);
      assert.ok(Date.now() - started >= 900, 'waited for the timeout');
    });
  });

  describe('PUT /device/name/{name}/{command}', () => {
    it('sends the values as the payload and answers 200', async () => {
      const res = await w.call('PUT', '/device/name/t-1/SetPoint', {
        body: JSON.stringify({ SetPoint: '21.5' }),
        headers: { 'Content-Type': 'application/json' },
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, { apiVersion: 'v3', statusCode: 200 });
      const got = lastReceived();
      assert.deepEqual([got.deviceName, got.commandName, got.method], ['t-1', 'SetPoint', 'set']);
      assert.deepEqual(JSON.parse(got.payload), { SetPoint: '21.5' });
    });

    it('400 for a body that is not a JSON object; 405 for writing a read-only command', async () => {
      const arr = await w.call('PUT', '/device/name/t-1/SetPoint', { body: '[1]', headers: { 'Content-Type': 'application/json' } });
      assert.equal(arr.status, 400);
      const none = await w.call('PUT', '/device/name/t-1/SetPoint');
      assert.equal(none.status, 400);
      const ro = await w.call('PUT', '/device/name/t-1/Temperature', { body: '{"Temperature":"1"}', headers: { 'Content-Type': 'application/json' } });
      assert.equal(ro.status, 405);
    });

    it('423 locked, 503 silent, the device service error otherwise', async () => {
      const body = { body: '{"Mode":"eco"}', headers: { 'Content-Type': 'application/json' } };
      assert.equal((await w.call('PUT', '/device/name/t-locked/Mode', body)).status, 423);
      assert.equal((await w.call('PUT', '/device/name/t-silent/Mode', body)).status, 503);
      assert.equal((await w.call('PUT', '/device/name/t-broken/Mode', body)).status, 500);
    });
  });
});
