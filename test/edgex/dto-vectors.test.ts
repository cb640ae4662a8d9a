/**
 * EdgeX's own Go DTO types (go-mod-core-contracts v4) against our core services, both ways:
 * - every request body an EdgeX Go client marshals (test/edgex/go-dto: `edgex-dto vectors`, Go's nulls, zero
 *   values and 64-bit numbers included) is sent byte for byte to core-metadata, core-data and core-command and
 *   must get EdgeX's answer (201, 207 with per-item 201/200, ...);
 * - every kind of answer our services send is decoded by `edgex-dto check` into EdgeX's response DTO with
 *   encoding/json, validated with EdgeX's own validation, and compared field by field with what Go makes of it;
 * - what Go sent comes back exact (origins and Int64/Uint64 beyond 2^53, binary bytes), and a PATCH with Go's
 *   nulls changes only the fields Go set.
 * Unknown fields (Go clients ignore them) are reported as diagnostics, not failures.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { startCoreCommand, type CoreCommandHandle } from '@edgex-ts/core-command';
import { startTestMetadata, type TestMetadata } from '../../services/core-metadata/src/test-support/harness.js';
import { startTestCoreData } from '../../services/core-data/src/test-support/start.js';
import { parseEnvelopeJson } from '../../services/core-command/src/test-support/device-peer.js';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto.js';
import { describeFailures, describeFindings, EdgexDto, findEdgexDto, type GoVector, type GoVectors } from '../helpers/edgex-go.js';
import { waitFor } from '../helpers/wait.js';

type ServiceName = Exclude<GoVector['service'], 'message-bus'>;

const found = findEdgexDto();
const skip = 'missing' in found ? found.missing : false;
const dto = new EdgexDto('path' in found ? found.path : '');
const goVectors: GoVectors | undefined = 'path' in found ? dto.vectors() : undefined;

interface Answer {
  status: number;
  text: string;
  contentType: string;
}

/**
 * A device service that answers core-metadata's device validation and core-command's GET/SET on the bus with
 * the envelopes EdgeX's Go device SDK publishes (made by `edgex-dto vectors` with go-mod-messaging).
 */
async function startGoAnsweringDeviceService(
  brokerUrl: string,
  serviceName: string,
  goAnswers: GoVectors['deviceService'],
): Promise<{ stop(): Promise<void> }> {
  const client = await mqtt.connectAsync(brokerUrl, { clientId: `go-ds-${serviceName}-${randomUUID()}`, clean: true });
  const commandPrefix = `edgex/device/command/request/${serviceName}/`;
  const validateTopic = `edgex/${serviceName}/validate/device`;
  client.on('message', (topic, message) => {
    const request = JSON.parse(message.toString('utf8')) as { requestID: string; correlationID: string; queryParams?: Record<string, string> };
    let key = 'validate';
    if (topic !== validateTopic) {
      const [, command = '', method = ''] = topic.slice(commandPrefix.length).split('/');
      key = method === 'set' ? 'set' : request.queryParams?.['ds-returnevent'] === 'false' ? 'get-no-event' : `get:${command}`;
    }
    const answer = goAnswers.answers[key];
    if (answer === undefined) return; // no such answer among the vectors: the request times out, and its test says so
    const envelope = answer.replaceAll(goAnswers.requestId, request.requestID).replaceAll(goAnswers.correlationId, request.correlationID);
    void client.publishAsync(`edgex/response/${serviceName}/${request.requestID}`, envelope, { qos: 1 });
  });
  await client.subscribeAsync([`${commandPrefix}#`, validateTopic], { qos: 1 });
  return { stop: () => client.endAsync() };
}

describe('EdgeX Go DTOs (go-mod-core-contracts v4) against core-metadata, core-data and core-command', { skip }, () => {
  const names = goVectors?.names ?? ({} as GoVectors['names']);
  let dir: string;
  let broker: MosquittoBroker;
  let metadata: TestMetadata;
  let coreData: Awaited<ReturnType<typeof startTestCoreData>>;
  let command: CoreCommandHandle;
  let deviceServices: { stop(): Promise<void> }[] = [];
  let busClient: MqttClient; // collects system events, publishes the bus vectors
  const systemEventPayloads: { topic: string; payload: string }[] = [];
  const bases = {} as Record<ServiceName, string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edgex-dto-'));
    broker = await startMosquitto();
    busClient = await mqtt.connectAsync(broker.url, { clientId: `edgex-dto-test-${randomUUID()}`, clean: true });
    busClient.on('message', (topic, message) => systemEventPayloads.push({ topic, payload: parseEnvelopeJson(message).payload }));
    await busClient.subscribeAsync('edgex/system-events/#', { qos: 1 });
    metadata = await startTestMetadata({ dbPath: join(dir, 'metadata.db'), brokerPort: broker.port });
    // The device services the vectors name answer core-metadata's device validation and core-command's requests
    // as EdgeX's Go device SDK does.
    deviceServices = [
      await startGoAnsweringDeviceService(broker.url, names.service, goVectors!.deviceService),
      await startGoAnsweringDeviceService(broker.url, names.serviceMin, goVectors!.deviceService),
    ];
    coreData = await startTestCoreData({ dbPath: join(dir, 'core-data.db'), brokerPort: broker.port, clientId: `core-data-dto-${randomUUID()}` });
    command = await startCoreCommand({
      argv: [],
      env: {},
      configOverrides: {
        Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, ShutdownTimeout: '2s' },
        Writable: { LogLevel: 'ERROR' },
        MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `core-command-dto-${randomUUID()}`, CleanSession: true } },
        Clients: { 'core-metadata': { Host: '127.0.0.1', Port: metadata.handle.restPort, GrpcPort: metadata.handle.grpcPort } },
      },
    });
    bases['core-metadata'] = metadata.base;
    bases['core-data'] = `http://127.0.0.1:${coreData.restPort}/api/v3`;
    bases['core-command'] = `http://127.0.0.1:${command.restPort}/api/v3`;
  });

  after(async () => {
    await command?.stop();
    await coreData?.stop();
    for (const ds of deviceServices) await ds.stop();
    await metadata?.stop();
    await busClient?.endAsync();
    await broker?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function request(service: ServiceName, method: string, path: string, init: { body?: string | Buffer; contentType?: string } = {}): Promise<Answer> {
    const res = await fetch(bases[service] + path, {
      method,
      body: init.body,
      headers: init.body === undefined ? {} : { 'Content-Type': init.contentType ?? 'application/json' },
    });
    return answerOf(res);
  }

  async function answerOf(res: Response): Promise<Answer> {
    return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') ?? '' };
  }

  /** Sends a vector as an EdgeX Go client does: its bytes with its content type, or its file in a form. */
  async function send(v: GoVector): Promise<Answer> {
    const service = v.service as ServiceName;
    if (v.contentType.startsWith('multipart/form-data')) {
      const form = new FormData();
      form.append('file', new Blob([v.body ?? '']), 'profile.yaml');
      return answerOf(await fetch(bases[service] + v.path, { method: v.method, body: form }));
    }
    return request(service, v.method, v.path, { body: v.body ?? Buffer.from(v.bodyBase64 ?? '', 'base64'), contentType: v.contentType });
  }

  /** Asserts that EdgeX's Go DTO `type` takes our answer; unknown fields become diagnostics. */
  async function assertGoDecodes(t: TestContext, what: string, type: string, text: string): Promise<void> {
    const report = await dto.check(type, text);
    const findings = describeFindings(report);
    if (findings) t.diagnostic(`${what}: ${findings}`);
    assert.ok(report.ok, `${what}: EdgeX's ${type} does not take our answer:\n${describeFailures(report)}\nanswer: ${text.slice(0, 2000)}`);
  }

  function vector(name: string): GoVector {
    const v = goVectors?.vectors.find((x) => x.name.startsWith(name));
    assert.ok(v, `no Go vector named ${name}`);
    return v;
  }

  /** GET of one entity: asserts 200 and returns body[key] (parsed: only for fields without 64-bit numbers). */
  async function entity(service: ServiceName, path: string, key: string): Promise<any> {
    const answer = await request(service, 'GET', path);
    assert.equal(answer.status, 200, `GET ${service} /api/v3${path}: ${answer.text.slice(0, 500)}`);
    return JSON.parse(answer.text)[key];
  }

  function sentJson(v: GoVector): any {
    assert.ok(v.body !== undefined, `${v.name} has a JSON body`);
    return JSON.parse(v.body);
  }

  describe('requests marshalled by EdgeX Go DTOs get EdgeX answers', () => {
    // The vectors' order matters (services before profiles before devices), and node:test runs these in order.
    const vectorNames = [
      'AddDeviceServiceRequest: a device service',
      'AddDeviceServiceRequest: zero values',
      'AddDeviceRequest: a nil batch',
      'DeviceProfileRequest: resources of several value types',
      'DeviceProfileRequest: a uint64 mask and an int64 shift beyond 2^53',
      'DeviceProfileRequest: nil slices and maps',
      'DeviceProfileRequest: PUT replaces a profile',
      'DeviceProfile YAML (yaml.v3) uploaded as a file',
      'DeviceProfile YAML (yaml.v3) replacing',
      'DeviceProfileBasicInfoRequest: PATCH',
      'AddDeviceResourceRequest',
      'UpdateDeviceResourceRequest: PATCH a description',
      'UpdateDeviceResourceRequest: PATCH isHidden only',
      'AddDeviceCommandRequest',
      'UpdateDeviceCommandRequest: PATCH isHidden only',
      'UpdateDeviceCommandRequest: PATCH with only a name',
      'DeviceProfileTagsRequest',
      'AddDeviceRequest: autoEvents',
      'AddDeviceRequest: zero values',
      'AddDeviceRequest: a child device',
      'AddDeviceRequest: a batch with a name that exists',
      'AddDeviceRequest: a batch whose second item EdgeX refuses',
      'UpdateDeviceRequest: PATCH with a name and one changed field',
      'UpdateDeviceRequest: PATCH with id ""',
      'UpdateDeviceServiceRequest',
      'AddProvisionWatcherRequest',
      'UpdateProvisionWatcherRequest',
      'SecretRequest',
      'AddEventRequest: readings of every kind',
      'AddEventRequest as CBOR',
      'AddEventRequest: one reading',
      'AddEventRequest: the other value types',
      'AddEventRequest: EdgeX 4 null readings',
      'SET command',
      'bus: ',
    ];
    test('every Go vector is exercised here', () => {
      const unlisted = (goVectors?.vectors ?? []).filter((v) => !vectorNames.some((n) => v.name.startsWith(n))).map((v) => v.name);
      assert.deepEqual(unlisted, [], 'vectors that no test sends');
    });
    for (const name of vectorNames.filter((n) => !n.startsWith('bus: '))) {
      test(name, async (t) => {
        const v = vector(name);
        const answer = await send(v);
        const where = `${v.name} (${v.method} ${v.service} /api/v3${v.path})`;
        assert.equal(answer.status, v.expect.status, `${where}: EdgeX answers ${v.expect.status}; we answered ${answer.status} ${answer.text.slice(0, 1000)}`);
        if (v.expect.emptyBatch) {
          const items: unknown = JSON.parse(answer.text);
          assert.ok(
            items === null || (Array.isArray(items) && items.length === 0),
            `${where}: EdgeX answers an empty batch (null); we answered ${answer.text}`,
          );
        }
        if (v.expect.itemStatus) {
          const items = JSON.parse(answer.text) as { statusCode: number }[];
          assert.ok(Array.isArray(items), `${where}: a 207 answer is an array: ${answer.text}`);
          assert.deepEqual(
            items.map((i) => i.statusCode),
            v.expect.itemStatus,
            `${where}: per-item statusCode (EdgeX: ${v.expect.itemStatus.join(', ')}): ${answer.text.slice(0, 1000)}`,
          );
          // EdgeX answers a failed item with a BaseResponse (no id), a successful one with the vector's answer type.
          for (const [i, item] of items.entries()) {
            const type = item.statusCode < 300 ? v.answer.replace(/\[\]$/, '') : 'BaseResponse';
            await assertGoDecodes(t, `${where} item ${i}`, type, JSON.stringify(item));
          }
        } else {
          await assertGoDecodes(t, where, v.answer, answer.text);
        }
      });
    }
  });

  describe("events published as EdgeX's device SDK publishes them reach core-data exactly", () => {
    for (const v of (goVectors?.vectors ?? []).filter((x) => x.service === 'message-bus')) {
      test(v.name, async () => {
        await busClient.publishAsync(`edgex/${v.path}`, v.body!, { qos: 1 });
        const got = await waitFor(
          `event ${v.eventId} of "${v.name}" in core-data`,
          async () => {
            const answer = await request('core-data', 'GET', `/event/id/${v.eventId}`);
            return answer.status === 200 ? answer : undefined;
          },
          { timeoutMs: 30_000 },
        );
        const differences = await dto.sameEvent({ envelope: v.body! }, got.text);
        assert.equal(differences, '', `${v.name}: the event core-data stored differs from what Go sent:\n${differences}`);
      });
    }
  });

  describe("core-command relays what EdgeX's Go device SDK answers", () => {
    test('a GET answered with a JSON EventResponse comes back exact (origins and values beyond 2^53)', async (t) => {
      const answer = await request('core-command', 'GET', `/device/name/${names.device}/${names.command}`);
      assert.equal(answer.status, 200, answer.text.slice(0, 500));
      assert.match(answer.contentType, /^application\/json/);
      await assertGoDecodes(t, 'core-command GET (JSON)', 'EventResponse', answer.text);
      const differences = await dto.sameEvent({ envelope: goVectors!.deviceService.answers[`get:${names.command}`] }, answer.text);
      assert.equal(differences, '', `the event core-command relayed differs from the device service's:\n${differences}`);
    });

    // EdgeX's core-command decodes the device service's CBOR EventResponse and answers JSON (edgex-go's
    // EncodeAndWriteResponse writes JSON only), binaryValue in base64.
    test('a GET of a Binary resource answered in CBOR comes back as a JSON EventResponse with the same bytes', async (t) => {
      const answer = await request('core-command', 'GET', `/device/name/${names.device}/Image`);
      assert.equal(answer.status, 200, answer.text.slice(0, 500));
      assert.match(answer.contentType, /^application\/json/);
      await assertGoDecodes(t, 'core-command GET (Binary)', 'EventResponse', answer.text);
      const differences = await dto.sameEvent({ envelope: goVectors!.deviceService.answers['get:Image'] }, answer.text);
      assert.equal(differences, '', `the CBOR event core-command relayed differs from the device service's:\n${differences}`);
    });

    test('a GET answered with EdgeX 4 null readings comes back with the null readings', async (t) => {
      const answer = await request('core-command', 'GET', `/device/name/${names.device}/StringValue`);
      assert.equal(answer.status, 200, answer.text.slice(0, 500));
      await assertGoDecodes(t, 'core-command GET (null readings)', 'EventResponse', answer.text);
      const differences = await dto.sameEvent({ envelope: goVectors!.deviceService.answers['get:StringValue'] }, answer.text);
      assert.equal(differences, '', `the null readings core-command relayed differ from the device service's:\n${differences}`);
    });

    test('a GET with ds-returnevent=false answered without payload is 200 with an empty body', async () => {
      const answer = await request('core-command', 'GET', `/device/name/${names.device}/${names.command}?ds-returnevent=false`);
      assert.equal(answer.status, 200, answer.text.slice(0, 500));
      assert.equal(answer.text, '');
    });
  });

  describe('what Go marshalled comes back identical', () => {
    test('the event with every value type: origins and Int64/Uint64 beyond 2^53, float, string, array, object and binary values', async () => {
      const v = vector('AddEventRequest: readings of every kind');
      const id = v.eventId;
      const got = await request('core-data', 'GET', `/event/id/${id}`);
      assert.equal(got.status, 200, `${v.name}: GET /event/id/${id}: ${got.text.slice(0, 500)}`);
      const differences = await dto.sameEvent({ json: v.body! }, got.text);
      assert.equal(differences, '', `${v.name}: the event read back differs from what Go sent:\n${differences}`);
    });

    test('the CBOR event with a Binary reading comes back with the same bytes', async () => {
      const v = vector('AddEventRequest as CBOR');
      const cbor = Buffer.from(v.bodyBase64!, 'base64');
      const binaryId = v.eventId;
      const got = await request('core-data', 'GET', `/event/id/${binaryId}`);
      assert.equal(got.status, 200, `${v.name}: GET /event/id/${binaryId}: ${got.text.slice(0, 500)}`);
      const differences = await dto.sameEvent({ cbor }, got.text);
      assert.equal(differences, '', `${v.name}: the event read back differs from what Go sent:\n${differences}`);
    });

    test('the minimal event (no tags, no requestId) comes back identical', async () => {
      const v = vector('AddEventRequest: one reading');
      const id = v.eventId;
      const got = await request('core-data', 'GET', `/event/id/${id}`);
      assert.equal(got.status, 200, `${v.name}: GET /event/id/${id}: ${got.text.slice(0, 500)}`);
      assert.equal(await dto.sameEvent({ json: v.body! }, got.text), '', v.name);
    });

    test('the other value types come back as Go formatted them', async (t) => {
      const v = vector('AddEventRequest: the other value types');
      const got = await request('core-data', 'GET', `/event/id/${v.eventId}`);
      assert.equal(got.status, 200, `${v.name}: GET /event/id/${v.eventId}: ${got.text.slice(0, 500)}`);
      await assertGoDecodes(t, `${v.name}: GET /event/id`, 'EventResponse', got.text);
      assert.equal(await dto.sameEvent({ json: v.body! }, got.text), '', v.name);
    });

    test('EdgeX 4 null readings come back null', async (t) => {
      const v = vector('AddEventRequest: EdgeX 4 null readings');
      const got = await request('core-data', 'GET', `/event/id/${v.eventId}`);
      assert.equal(got.status, 200, `${v.name}: GET /event/id/${v.eventId}: ${got.text.slice(0, 500)}`);
      await assertGoDecodes(t, `${v.name}: GET /event/id`, 'EventResponse', got.text);
      assert.equal(await dto.sameEvent({ json: v.body! }, got.text), '', v.name);
    });

    test('a uint64 mask and an int64 shift beyond 2^53 come back exact', async () => {
      const answer = await request('core-metadata', 'GET', `/deviceprofile/name/${names.profileWide}`);
      assert.equal(answer.status, 200, answer.text.slice(0, 500));
      const sent = vector('DeviceProfileRequest: a uint64 mask').body!;
      for (const field of ['mask', 'shift']) {
        const exact = new RegExp(`"${field}":(-?\\d+)`);
        assert.equal(exact.exec(answer.text)?.[1], exact.exec(sent)?.[1], `${field} as Go sent it: ${answer.text.slice(0, 600)}`);
      }
    });

    test('a batch with an item EdgeX refuses stores none of its items', async () => {
      const answer = await request('core-metadata', 'GET', `/device/name/${names.deviceRefused}`);
      assert.equal(answer.status, 404, `the valid first item of the refused batch was stored: ${answer.text.slice(0, 300)}`);
    });

    test('a PATCH of tags and a PUT of a YAML file change what they name', async () => {
      const profile = await entity('core-metadata', `/deviceprofile/name/${names.profile}`, 'profile');
      const int64 = profile.deviceResources.find((r: { name: string }) => r.name === 'Int64Value');
      assert.deepEqual(int64?.tags, { unit: 'count', level: 2 }, 'DeviceProfileTagsRequest: the resource tags');
      const allValues = profile.deviceCommands.find((c: { name: string }) => c.name === names.command);
      assert.deepEqual(allValues?.tags, { group: 'go' }, 'DeviceProfileTagsRequest: the command tags');
      const fromYaml = await entity('core-metadata', `/deviceprofile/name/${names.profileYaml}`, 'profile');
      assert.equal(fromYaml.description, 'replaced by a YAML file', 'PUT /deviceprofile/uploadfile');
    });

    test("PATCHes with Go's nulls change only the fields Go set", async () => {
      const sentDevice = sentJson(vector('AddDeviceRequest: autoEvents'))[0].device;
      const device = await entity('core-metadata', `/device/name/${names.device}`, 'device');
      assert.equal(device.description, 'patched by Go', 'UpdateDeviceRequest: the field Go set');
      for (const field of [
        'adminState',
        'operatingState',
        'labels',
        'location',
        'serviceName',
        'profileName',
        'autoEvents',
        'protocols',
        'tags',
        'properties',
      ]) {
        assert.deepEqual(device[field], sentDevice[field], `UpdateDeviceRequest: ${field} (null in Go's PATCH) is as Go's AddDeviceRequest sent it`);
      }
      const minimal = await entity('core-metadata', `/device/name/${names.deviceMin}`, 'device');
      assert.equal(minimal.operatingState, 'UP', 'UpdateDeviceRequest with id "": the field Go set');
      assert.equal(minimal.profileName, names.profileMin, 'UpdateDeviceRequest with id "": profileName unchanged');

      const service = await entity('core-metadata', `/deviceservice/name/${names.serviceMin}`, 'service');
      assert.equal(service.description, 'patched by Go', 'UpdateDeviceServiceRequest: the field Go set');
      assert.equal(service.baseAddress, 'http://go-ds-min:59999', 'UpdateDeviceServiceRequest: baseAddress (null) unchanged');
      assert.equal(service.adminState, 'UNLOCKED', 'UpdateDeviceServiceRequest: adminState (null) unchanged');

      const watcher = await entity('core-metadata', `/provisionwatcher/name/${names.watcher}`, 'provisionWatcher');
      assert.equal(watcher.adminState, 'LOCKED', 'UpdateProvisionWatcherRequest: the field Go set');
      assert.deepEqual(watcher.identifiers, { Address: '10\\.0\\.0\\..*' }, 'UpdateProvisionWatcherRequest: identifiers (null) unchanged');
      assert.equal(watcher.serviceName, names.service, 'UpdateProvisionWatcherRequest: serviceName (null) unchanged');
      assert.equal(watcher.discoveredDevice.profileName, names.profile, 'UpdateProvisionWatcherRequest: discoveredDevice.profileName (null) unchanged');
      assert.equal(watcher.discoveredDevice.adminState, 'UNLOCKED', 'UpdateProvisionWatcherRequest: discoveredDevice.adminState (null) unchanged');

      const profile = await entity('core-metadata', `/deviceprofile/name/${names.profile}`, 'profile');
      assert.equal(profile.description, 'patched by Go', 'DeviceProfileBasicInfoRequest: the field Go set');
      assert.equal(profile.manufacturer, 'EdgeX Go', 'DeviceProfileBasicInfoRequest: manufacturer (null) unchanged');
      assert.equal(profile.model, 'DTO-1', 'DeviceProfileBasicInfoRequest: model (null) unchanged');
      assert.deepEqual(profile.labels, ['go', 'vectors'], 'DeviceProfileBasicInfoRequest: labels (null) unchanged');
      const resource = profile.deviceResources.find((r: { name: string }) => r.name === 'Uint8Value');
      assert.equal(resource?.description, 'patched resource', 'UpdateDeviceResourceRequest: the field Go set');
      assert.equal(resource?.isHidden, false, 'UpdateDeviceResourceRequest: isHidden (null) unchanged');
      const pair = profile.deviceCommands.find((c: { name: string }) => c.name === 'Pair');
      assert.equal(pair?.isHidden, true, 'UpdateDeviceCommandRequest: the field Go set');
      assert.equal(pair?.resourceOperations.length, 2, 'UpdateDeviceCommandRequest: resourceOperations unchanged');

      const replaced = await entity('core-metadata', `/deviceprofile/name/${names.profileMin}`, 'profile');
      assert.equal(replaced.description, 'replaced by PUT', 'DeviceProfileRequest PUT');
    });

    test("a child device is found among its parent's descendants", async () => {
      const devices = await entity('core-metadata', `/device/all?descendantsOf=${names.device}&maxLevels=1`, 'devices');
      assert.deepEqual(
        devices.map((d: { name: string; parent?: string }) => [d.name, d.parent]),
        [[names.deviceChild, names.device]],
      );
    });
  });

  describe('every kind of answer we send is what EdgeX Go clients decode', () => {
    // [service, path, EdgeX response DTO, the list a Multi answer holds]
    const MAX = '9223372036854775807';
    const probes: [ServiceName, string, string, string?][] = [
      ['core-metadata', '/deviceservice/all', 'MultiDeviceServicesResponse', 'services'],
      ['core-metadata', `/deviceservice/name/${names.service}`, 'DeviceServiceResponse'],
      ['core-metadata', '/deviceprofile/all', 'MultiDeviceProfilesResponse', 'profiles'],
      ['core-metadata', `/deviceprofile/name/${names.profile}`, 'DeviceProfileResponse'],
      ['core-metadata', `/deviceprofile/name/${names.profileWide}`, 'DeviceProfileResponse'],
      ['core-metadata', `/deviceprofile/name/${names.profileYaml}`, 'DeviceProfileResponse'],
      ['core-metadata', '/deviceprofile/manufacturer/EdgeX%20Go', 'MultiDeviceProfilesResponse', 'profiles'],
      ['core-metadata', '/deviceprofile/model/DTO-1', 'MultiDeviceProfilesResponse', 'profiles'],
      ['core-metadata', '/deviceprofile/manufacturer/EdgeX%20Go/model/DTO-1', 'MultiDeviceProfilesResponse', 'profiles'],
      ['core-metadata', '/deviceprofile/basicinfo/all', 'MultiDeviceProfileBasicInfoResponse', 'profiles'],
      ['core-metadata', `/deviceresource/profile/${names.profile}/resource/Float64Value`, 'DeviceResourceResponse'],
      ['core-metadata', '/device/all', 'MultiDevicesResponse', 'devices'],
      ['core-metadata', `/device/all?descendantsOf=${names.device}&maxLevels=1`, 'MultiDevicesResponse', 'devices'],
      ['core-metadata', `/device/name/${names.device}`, 'DeviceResponse'],
      ['core-metadata', `/device/check/name/${names.device}`, 'BaseResponse'],
      ['core-metadata', `/device/profile/name/${names.profile}`, 'MultiDevicesResponse', 'devices'],
      ['core-metadata', `/device/service/name/${names.service}`, 'MultiDevicesResponse', 'devices'],
      ['core-metadata', '/device/service/name/nobody', 'MultiDevicesResponse', 'devices'],
      ['core-metadata', '/provisionwatcher/all', 'MultiProvisionWatchersResponse', 'provisionWatchers'],
      ['core-metadata', `/provisionwatcher/name/${names.watcher}`, 'ProvisionWatcherResponse'],
      ['core-metadata', `/provisionwatcher/service/name/${names.service}`, 'MultiProvisionWatchersResponse', 'provisionWatchers'],
      ['core-metadata', `/provisionwatcher/profile/name/${names.profile}`, 'MultiProvisionWatchersResponse', 'provisionWatchers'],
      ['core-metadata', '/provisionwatcher/service/name/nobody', 'MultiProvisionWatchersResponse', 'provisionWatchers'],
      ['core-metadata', '/uom', 'UnitsOfMeasureResponse'],
      ['core-data', '/event/all', 'MultiEventsResponse', 'events'],
      ['core-data', '/event/count', 'CountResponse'],
      ['core-data', `/event/count/device/name/${names.device}`, 'CountResponse'],
      ['core-data', `/event/device/name/${names.device}`, 'MultiEventsResponse', 'events'],
      ['core-data', '/event/device/name/nobody', 'MultiEventsResponse', 'events'],
      ['core-data', `/event/start/0/end/${MAX}`, 'MultiEventsResponse', 'events'],
      ['core-data', '/reading/all?limit=-1', 'MultiReadingsResponse', 'readings'],
      ['core-data', '/reading/all?numeric=true', 'MultiReadingsResponse', 'readings'],
      ['core-data', '/event/all?numeric=true', 'MultiEventsResponse', 'events'],
      ['core-data', '/reading/all?aggregateFunc=MAX', 'MultiReadingsAggregationResponse', 'readings'],
      ['core-data', '/reading/count', 'CountResponse'],
      ['core-data', `/reading/count/device/name/${names.device}`, 'CountResponse'],
      ['core-data', `/reading/device/name/${names.device}`, 'MultiReadingsResponse', 'readings'],
      ['core-data', '/reading/resourceName/Int64Value', 'MultiReadingsResponse', 'readings'],
      ['core-data', `/reading/device/name/${names.device}/resourceName/Int64Value`, 'MultiReadingsResponse', 'readings'],
      ['core-data', `/reading/start/0/end/${MAX}`, 'MultiReadingsResponse', 'readings'],
      ['core-data', `/reading/resourceName/Image/start/0/end/${MAX}`, 'MultiReadingsResponse', 'readings'],
      ['core-data', `/reading/device/name/${names.device}/resourceName/Uint64Value/start/0/end/${MAX}`, 'MultiReadingsResponse', 'readings'],
      ['core-data', `/reading/device/name/${names.device}/start/0/end/${MAX}`, 'MultiReadingsResponse', 'readings'],
      ['core-data', '/reading/device/name/nobody', 'MultiReadingsResponse', 'readings'],
      ['core-command', '/device/all', 'MultiDeviceCoreCommandsResponse', 'deviceCoreCommands'],
      ['core-command', `/device/name/${names.device}`, 'DeviceCoreCommandResponse'],
      ['core-command', `/device/name/${names.device}/${names.command}`, 'EventResponse'],
    ];
    for (const service of ['core-metadata', 'core-data', 'core-command'] as const) {
      probes.push([service, '/ping', 'PingResponse'], [service, '/version', 'VersionResponse'], [service, '/config', 'ConfigResponse']);
    }
    for (const [service, path, type, list] of probes) {
      test(`GET ${service} ${path} → ${type}`, async (t) => {
        const answer = await request(service, 'GET', path);
        assert.equal(answer.status, 200, `GET ${service} /api/v3${path}: ${answer.text.slice(0, 500)}`);
        if (list) {
          const body = JSON.parse(answer.text) as Record<string, unknown>;
          assert.ok(
            Array.isArray(body[list]),
            `GET ${service} /api/v3${path}: EdgeX answers "${list}" as an array (also when empty); we sent ${JSON.stringify(body[list])}`,
          );
        }
        await assertGoDecodes(t, `GET ${service} /api/v3${path}`, type, answer.text);
      });
    }

    const errors: [ServiceName, string, string, number][] = [
      ['core-metadata', 'GET', '/device/name/nobody', 404],
      ['core-metadata', 'GET', '/deviceprofile/name/nobody', 404],
      ['core-data', 'GET', `/event/id/${randomUUID()}`, 404],
      ['core-command', 'GET', '/device/name/nobody', 404],
    ];
    for (const [service, method, path, status] of errors) {
      test(`${method} ${service} ${path} → ${status} BaseResponse`, async (t) => {
        const answer = await request(service, method, path);
        assert.equal(answer.status, status, answer.text);
        await assertGoDecodes(t, `${method} ${service} /api/v3${path}`, 'BaseResponse', answer.text);
        assert.equal(JSON.parse(answer.text).statusCode, status, 'statusCode in the body is the HTTP status');
      });
    }

    test('system events published while the vectors ran decode as EdgeX SystemEvents with valid details', async (t) => {
      // The last metadata vector is the provision watcher's PATCH: its system event comes after the others.
      await waitFor('the system event of the provision watcher PATCH', () => systemEventPayloads.some((e) => e.topic.includes('/provisionwatcher/update/')), {
        timeoutMs: 30_000,
      });
      const failures: string[] = [];
      for (const { topic, payload } of systemEventPayloads) {
        const report = await dto.check('SystemEvent', payload);
        const findings = describeFindings(report);
        if (findings) t.diagnostic(`${topic}: ${findings}`);
        if (!report.ok) failures.push(`${topic}:\n${describeFailures(report)}\npayload: ${payload.slice(0, 300)}`);
      }
      assert.deepEqual(failures, [], 'system events EdgeX Go SDKs cannot take');
    });

    // [service, path, EdgeX's status]: events of a device and by age are deleted in the background (202).
    const deletes: [ServiceName, string, number][] = [
      ['core-data', `/event/id/${names.eventMin}`, 200],
      ['core-metadata', `/provisionwatcher/name/${names.watcher}`, 200],
      ['core-metadata', `/device/name/${names.deviceMin}`, 200],
      ['core-data', `/event/device/name/${names.deviceBatch}`, 202],
      ['core-data', '/event/age/3600000000000', 202],
    ];
    for (const [service, path, status] of deletes) {
      test(`DELETE ${service} ${path} → ${status} BaseResponse`, async (t) => {
        const answer = await request(service, 'DELETE', path);
        assert.equal(answer.status, status, answer.text);
        await assertGoDecodes(t, `DELETE ${service} /api/v3${path}`, 'BaseResponse', answer.text);
      });
    }
  });
});
