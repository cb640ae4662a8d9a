/**
 * Carrying out one ScheduleAction: a REST call, a message-bus publish, or a device command through core-command.
 * Every kind is bounded by the timeout, so a target that hangs fails the action instead of holding the run.
 */
import { kindOfHttpStatus, type CoreCommandClient } from '@edgex-ts/client';
import { EdgeXError, errorMessage, parseJson, type ScheduleAction } from '@edgex-ts/contracts';
import { newEnvelope, type MessageBus } from '@edgex-ts/runtime';

export interface ActionTargets {
  /** undefined when MessageBus.Disabled. */
  bus: MessageBus | undefined;
  coreCommand(): Promise<CoreCommandClient>;
  /** Service.RequestTimeout, ms. */
  timeoutMs: number;
}

function payloadBytes(a: ScheduleAction): Buffer | undefined {
  return a.payload ? Buffer.from(a.payload, 'base64') : undefined;
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EdgeXError('ServiceUnavailable', `${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function callRest(a: ScheduleAction, timeoutMs: number): Promise<void> {
  const method = (a.method ?? 'GET').toUpperCase();
  const body = method === 'GET' || method === 'HEAD' ? undefined : payloadBytes(a);
  const headers: Record<string, string> = {};
  if (body) headers['Content-Type'] = a.contentType || 'application/json';
  let res: Response;
  try {
    res = await fetch(a.address!, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const reason =
      err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : errorMessage((err as { cause?: unknown }).cause ?? err);
    throw new EdgeXError('ServiceUnavailable', `${method} ${a.address}: ${reason}`, err);
  }
  // Only the status matters; the body is not read (it may be large or never end).
  await res.body?.cancel().catch(() => undefined);
  if (!res.ok) throw new EdgeXError(kindOfHttpStatus(res.status, method), `${method} ${a.address}: answered ${res.status}`);
}

async function publish(a: ScheduleAction, targets: ActionTargets): Promise<void> {
  if (!targets.bus) throw new EdgeXError('ServiceUnavailable', 'the message bus is disabled (MessageBus.Disabled)');
  const envelope = newEnvelope(payloadBytes(a) ?? new Uint8Array(), { contentType: a.contentType || 'application/json' });
  await withTimeout(targets.bus.publish(a.topic!, envelope), targets.timeoutMs, `publish to ${a.topic}`);
}

/**
 * EdgeX v4 SETs the payload (a JSON object of resource → value) on the device's command. Without a payload
 * edgex-ts reads it (GET with ds-pushevent=true, so the reading reaches core-data): EdgeX has no scheduled read.
 */
async function commandDevice(a: ScheduleAction, targets: ActionTargets): Promise<void> {
  const client = await targets.coreCommand();
  const bytes = payloadBytes(a);
  if (!bytes) {
    await client.issueGet(a.deviceName!, a.sourceName!, { pushEvent: true, returnEvent: false });
    return;
  }
  let values: unknown;
  try {
    values = parseJson(bytes.toString('utf8'), { what: 'the action payload' });
  } catch (err) {
    throw new EdgeXError('ContractInvalid', `payload: expected a JSON object of resource name to value: ${errorMessage(err)}`, err);
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new EdgeXError('ContractInvalid', 'payload: expected a JSON object of resource name to value');
  }
  await client.issueSet(a.deviceName!, a.sourceName!, values as Record<string, unknown>);
}

/** Carries out the action; throws (an EdgeXError) when it failed. */
export async function runAction(a: ScheduleAction, targets: ActionTargets): Promise<void> {
  switch (a.type) {
    case 'REST':
      return callRest(a, targets.timeoutMs);
    case 'EDGEXMESSAGEBUS':
      return publish(a, targets);
    case 'DEVICECONTROL':
      return commandDevice(a, targets);
  }
}
