import type { Device, Event, Reading } from '@edgex-ts/contracts';

/** What every EdgeX v3 answer carries (Go's dtoCommon.BaseResponse). */
export interface BaseResponse {
  apiVersion: string;
  requestId?: string;
  message?: string;
  statusCode: number;
}

/** An error answer: BaseResponse with the message that names what was wrong. */
export interface ErrorResponse extends BaseResponse {
  message: string;
}

/**
 * The JSON body of an HTTP answer, typed as the answer the test expects (the test then asserts on its fields):
 * fetch types `json()` as unknown. Not for answers whose 64-bit integers must stay exact (parseJson is).
 */
export async function readJson<T = BaseResponse>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** GET …/device/…/all-style answers (EdgeX MultiDevicesResponse). */
export interface MultiDevicesResponse extends BaseResponse {
  totalCount: number;
  devices: Device[];
}

/** GET /reading/…-style answers (EdgeX MultiReadingsResponse). */
export interface MultiReadingsResponse extends BaseResponse {
  totalCount: number;
  readings: Reading[];
}

/** GET /event/…-style answers (EdgeX MultiEventsResponse). */
export interface MultiEventsResponse extends BaseResponse {
  totalCount: number;
  events: Event[];
}

/** GET /event/id/{id} and a device command's answer (EdgeX EventResponse). */
export interface EventResponse extends BaseResponse {
  event: Event;
}
