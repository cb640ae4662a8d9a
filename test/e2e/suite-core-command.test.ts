// core-command inside the all-in-one: device-virtual's devices, found through core-metadata, with their commands,
// issued over the bus to device-virtual and back.
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { corecommandV1, eventFromProto } from '@edgex-ts/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSuite, type Suite } from '../../suite/src/suite.js';
import { waitFor } from '../helpers/wait.js';
import { readJson, type BaseResponse, type EventResponse } from '../helpers/http.js';
import { unaryCall } from '../helpers/grpc.js';

let suite: Suite;
let command: string;
const dataDir = mkdtempSync(join(tmpdir(), 'edgex-suite-command-'));

before(async () => {
  suite = await startSuite({ ephemeralPorts: true, dataDir, commonOverrides: { Writable: { LogLevel: 'ERROR' } } });
  command = `${suite.endpoint('core-command').rest}/api/v3`;
});
after(async () => {
  await suite?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A core-command command as core-command lists it (EdgeX CoreCommand). */
interface CoreCommand {
  name: string;
  get: boolean;
  set: boolean;
  path: string;
  url: string;
  parameters: { resourceName: string; valueType: string }[];
}
interface DeviceCoreCommand {
  deviceName: string;
  profileName: string;
  coreCommands: CoreCommand[];
}

/** Status and JSON answer of a request to core-command, typed as the answer the test expects. */
async function get<T = BaseResponse>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(command + path, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

test('core-command lists the commands of the devices device-virtual provisioned', async () => {
  // device-virtual provisions in the background: wait for the device this test looks at.
  await waitFor('Random-Integer-Device listed by core-command', async () => {
    const res = await get<{ deviceCoreCommands: DeviceCoreCommand[] }>('/device/all?limit=-1');
    return res.status === 200 && res.body.deviceCoreCommands.some((d) => d.deviceName === 'Random-Integer-Device');
  });

  const one = await get<{ deviceCoreCommand: DeviceCoreCommand }>('/device/name/Random-Integer-Device');
  assert.equal(one.status, 200);
  const int8 = one.body.deviceCoreCommand.coreCommands.find((c) => c.name === 'Int8');
  assert.deepEqual(int8, {
    name: 'Int8',
    get: true,
    set: true,
    path: '/api/v3/device/name/Random-Integer-Device/Int8',
    url: suite.endpoint('core-command').rest,
    parameters: [{ resourceName: 'Int8', valueType: 'Int8' }],
  });
});

test('GET and PUT through core-command reach device-virtual; ds-pushevent=true lands the event in core-data', async () => {
  await waitFor('Random-Integer-Device in core-command', async () => (await get('/device/name/Random-Integer-Device')).status === 200);
  const read = await get<EventResponse>('/device/name/Random-Integer-Device/Int8');
  assert.equal(read.status, 200, JSON.stringify(read.body));
  assert.equal(read.body.event.deviceName, 'Random-Integer-Device');
  assert.equal(read.body.event.readings[0].resourceName, 'Int8');

  const write = await get('/device/name/Random-Integer-Device/WriteInt8Value', {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ Int8: '12', EnableRandomization_Int8: 'false' }),
  });
  assert.deepEqual([write.status, write.body], [200, { apiVersion: 'v3', statusCode: 200 }]);

  const pushed = await get<EventResponse>('/device/name/Random-Integer-Device/Int8?ds-pushevent=true');
  assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
  assert.equal(pushed.body.event.readings[0].value, '12');
  const data = `${suite.endpoint('core-data').rest}/api/v3`;
  const stored = await waitFor('the pushed event in core-data', async () => {
    const res = await fetch(`${data}/event/id/${pushed.body.event.id}`);
    return res.status === 200 ? await readJson<EventResponse>(res) : undefined;
  });
  assert.equal(stored.event.readings[0].value, '12');

  const none = await fetch(`${command}/device/name/Random-Integer-Device/Int8?ds-returnevent=false`);
  assert.deepEqual([none.status, await none.text()], [200, '']);
  assert.equal((await get('/device/name/Random-Integer-Device/NoSuchCommand')).status, 404);
});

test('gRPC IssueGetCommand reads device-virtual through core-command', async () => {
  await waitFor('Random-Float-Device in core-command', async () => (await get('/device/name/Random-Float-Device')).status === 200);
  const client = new corecommandV1.CoreCommandServiceClient(suite.endpoint('core-command').grpc, grpc.credentials.createInsecure());
  try {
    const res = await unaryCall(
      client,
      client.issueGetCommand,
      corecommandV1.IssueGetCommandRequest.fromPartial({ deviceName: 'Random-Float-Device', commandName: 'Float64' }),
    );
    const event = eventFromProto(res.event!);
    assert.equal(event.deviceName, 'Random-Float-Device');
    assert.equal(event.readings[0]?.valueType, 'Float64');
  } finally {
    client.close();
  }
});
