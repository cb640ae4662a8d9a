import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startTestMetadata, tempDir, type TestMetadata } from '../test-support/harness.js';
import { MAX_PROFILE_FILE_BYTES } from './upload.js';

/** A valid profile file of `resources` device resources (about 300 bytes of YAML each). */
function profileYaml(name: string, resources: number): string {
  let s = `name: "${name}"\nmanufacturer: "Acme"\nmodel: "H1"\ndeviceResources:\n`;
  for (let i = 0; i < resources; i++) {
    s += `  - name: "Resource${i}"\n    description: "resource number ${i} of a large profile"\n    properties:\n      valueType: "Int32"\n      readWrite: "RW"\n      minimum: "0"\n      maximum: "100000"\n    attributes:\n      primaryTable: "HOLDING_REGISTERS"\n      startingAddress: ${i}\n`;
  }
  return s;
}

function multipart(text: string): { body: Buffer; contentType: string } {
  const boundary = 'edgex-ts-upload-test';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="profile.yaml"\r\nContent-Type: application/x-yaml\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), Buffer.from(text), Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

describe('profile file upload: large files', () => {
  const tmp = tempDir();
  let md: TestMetadata;
  before(async () => {
    md = await startTestMetadata({ dbPath: `${tmp.dir}/md.db` });
  });
  after(async () => {
    await md?.stop();
    tmp.remove();
  });

  it('a file over the profile file limit is a 413 naming the limit', async () => {
    const text = profileYaml('Too-Big', Math.ceil(MAX_PROFILE_FILE_BYTES / 250));
    assert.ok(Buffer.byteLength(text) > MAX_PROFILE_FILE_BYTES);
    const { body, contentType } = multipart(text);
    const r = await md.raw('POST', '/deviceprofile/uploadfile', { body, headers: { 'content-type': contentType } });
    assert.equal(r.status, 413);
    assert.equal(r.body.statusCode, 413);
    assert.match(r.body.message, new RegExp(`^profile file exceeds ${MAX_PROFILE_FILE_BYTES} bytes`));
    assert.equal((await md.raw('GET', '/ping', {})).status, 200);
  });

  it('other requests are answered while a large file is parsed, and the file is stored', async () => {
    const text = profileYaml('Large-Profile', 6000); // ~1.8 MB: seconds of YAML parsing
    assert.ok(Buffer.byteLength(text) < MAX_PROFILE_FILE_BYTES);
    const { body, contentType } = multipart(text);
    const answered: string[] = [];
    // The service runs in this process: once it has read the whole upload (its parsing starts right after),
    // ask for a ping. It must not wait for the parse.
    let ping: Promise<void> | undefined;
    const onRequest = ({ request }: { request: IncomingMessage }) => {
      if (!request.url?.endsWith('/deviceprofile/uploadfile')) return;
      request.once('end', () => {
        ping = fetch(`${md.base}/ping`).then(async (res) => {
          await res.text();
          answered.push(`ping ${res.status}`);
        });
      });
    };
    subscribe('http.server.request.start', onRequest as (message: unknown) => void);
    try {
      const res = await fetch(`${md.base}/deviceprofile/uploadfile`, { method: 'POST', body, headers: { 'content-type': contentType } });
      await res.text();
      answered.push('upload');
      assert.equal(res.status, 201);
      await ping;
    } finally {
      unsubscribe('http.server.request.start', onRequest as (message: unknown) => void);
    }
    assert.deepEqual(answered, ['ping 200', 'upload']);
    const stored = await md.call('GET', '/deviceprofile/name/Large-Profile');
    assert.equal(stored.status, 200);
    assert.equal(stored.body.profile.deviceResources.length, 6000);
  });

  it('a JSON profile file keeps a uint64 mask beyond 2^53 exact', async () => {
    const json = `{"name":"Json-Wide","deviceResources":[{"name":"R","properties":{"valueType":"Uint64","readWrite":"R","mask":18446744073709551601}}]}`;
    const { body, contentType } = multipart(json);
    const r = await md.raw('POST', '/deviceprofile/uploadfile', { body, headers: { 'content-type': contentType } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const res = await fetch(`${md.base}/deviceprofile/name/Json-Wide`);
    assert.match(await res.text(), /"mask":18446744073709551601/);
  });

  it('a bad file is still a 400 naming the field', async () => {
    const { body, contentType } = multipart('name: "Bad"\ndeviceResources:\n  - name: "R"\n    properties:\n      valueType: "Nope"\n      readWrite: "R"\n');
    const r = await md.raw('POST', '/deviceprofile/uploadfile', { body, headers: { 'content-type': contentType } });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /profile\.deviceResources\[0\]\.properties\.valueType/);
  });
});
