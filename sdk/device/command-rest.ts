/**
 * The device service's own command routes (device-sdk-go restrouter, reference §2.7):
 * GET `/api/v3/device/name/{name}/{command}` → 200 EventResponse (empty body with `ds-returnevent=false`),
 * PUT `/api/v3/device/name/{name}/{command}` with `{resourceName: value}` → 200 BaseResponse.
 */
import type express from 'express';
import type { Event } from '@edgex-ts/contracts';
import { API_BASE, asyncRoute, restRoutes, sendOk } from '@edgex-ts/runtime';
import type { CommandExecutor } from './commands.js';
import { commandQueryFlags } from './command-topics.js';

export function addCommandRoutes(app: express.Express, executor: CommandExecutor, pushEvent: (event: Event) => void): void {
  const path = `${API_BASE}/device/name/:name/:command`;
  const routes = restRoutes(app);
  routes.get(
    path,
    asyncRoute(async (req, res) => {
      const flags = commandQueryFlags(req.query);
      const event = await executor.read(String(req.params.name), String(req.params.command), { regex: flags.regexCmd });
      if (flags.pushEvent) pushEvent(event);
      if (flags.returnEvent) sendOk(res, 200, { event });
      else res.status(200).end();
    }),
  );
  routes.put(
    path,
    asyncRoute(async (req, res) => {
      await executor.write(String(req.params.name), String(req.params.command), req.body ?? {});
      sendOk(res, 200, {});
    }),
  );
}
