import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestMetadata, tempDir, type TestMetadata } from '../test-support/harness.js';
import { BOOL_PROFILE, req, VIRTUAL_SERVICE, virtualDevice } from '../test-support/fixtures.js';

describe('core-metadata keeps integers beyond 2^53 and answers deep JSON with 400', () => {
  const tmp = tempDir();
  let md: TestMetadata;
  const post = (path: string, body: string) => md.raw('POST', path, { body, headers: { 'content-type': 'application/json' } });

  before(async () => {
    md = await startTestMetadata({ dbPath: join(tmp.dir, 'md.db') });
    assert.equal((await md.call('POST', '/deviceservice', [req('service', VIRTUAL_SERVICE)])).status, 207);
    assert.equal((await md.call('POST', '/deviceprofile', [req('profile', BOOL_PROFILE)])).body[0].statusCode, 201);
  });
  after(async () => {
    await md?.stop();
    tmp.remove();
  });

  it('a device whose tags hold 64-bit integers is stored and answered with the same digits', async () => {
    const device = virtualDevice('Big-Tags-Device', BOOL_PROFILE.name, { tags: { serial: 'SERIAL', since: 'SINCE' } });
    const body = JSON.stringify([req('device', device)])
      .replace('"SERIAL"', '18446744073709551615')
      .replace('"SINCE"', '1796657960933599538');
    const r = await post('/device', body);
    assert.equal(r.status, 207);
    assert.equal(r.body[0].statusCode, 201, r.body[0].message);
    const res = await fetch(`${md.base}/device/name/Big-Tags-Device`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /"tags":\{"serial":18446744073709551615,"since":1796657960933599538\}/);
  });

  it("a resource's uint64 mask and int64 shift beyond 2^53 are stored and answered with the same digits", async () => {
    const profile = `{"name":"Wide-Mask","deviceResources":[{"name":"R","properties":{"valueType":"Uint64","readWrite":"R","mask":18446744073709551601,"shift":-9007199254740993}}]}`;
    const r = await post('/deviceprofile', `[{"apiVersion":"v3","profile":${profile}}]`);
    assert.equal(r.status, 207);
    assert.equal(r.body[0].statusCode, 201, r.body[0].message);
    const res = await fetch(`${md.base}/deviceprofile/name/Wide-Mask`);
    assert.match(await res.text(), /"mask":18446744073709551601,"shift":-9007199254740993/);
  });

  it('JSON nested 5,000 deep is a 400, not a 500', async () => {
    const deep = `{"name":"Deep","tags":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const r = await post('/device', `[{"apiVersion":"v3","device":${deep}}]`);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /^request body: nested deeper than \d+ levels/);
    assert.equal((await md.raw('GET', '/ping', {})).status, 200);
  });
});
