import { Router } from 'express';
import {
  AddDeviceCommandRequestSchema,
  AddDeviceResourceRequestSchema,
  DeviceProfileBasicInfoRequestSchema,
  DeviceProfileRequestSchema,
  DeviceProfileTagsRequestSchema,
  deviceProfileBasicInfoWire,
  deviceProfileWire,
  deviceResourceWire,
  UpdateDeviceCommandRequestSchema,
  UpdateDeviceResourceRequestSchema,
  parseDto,
  type DeviceProfile,
} from '@edgex-ts/contracts';
import { asyncRoute, handleBatch, restRoutes, sendOk } from '@edgex-ts/runtime';
import type { MetadataDomain, ProfileQuery } from '../domain/index.js';
import { listParams, pathParam } from './params.js';
import { profileFileUpload } from './upload.js';

/** /deviceprofile and /deviceresource: EdgeX v3 core-metadata profile endpoints. */
export function deviceProfileRoutes(domain: MetadataDomain, maxResultCount: number, maxUploadBytes: number): Router {
  const router = Router();
  const r = restRoutes(router);
  const profiles = domain.deviceProfiles;
  const ok = async () => ({});

  r.post(
    '/deviceprofile',
    asyncRoute((req, res) => handleBatch(req, res, DeviceProfileRequestSchema, async (item) => ({ id: (await profiles.add(item.profile)).id }))),
  );
  r.put(
    '/deviceprofile',
    asyncRoute((req, res) =>
      handleBatch(req, res, DeviceProfileRequestSchema, async (item) => {
        await profiles.replace(item.profile);
        return ok();
      }),
    ),
  );

  const upload = profileFileUpload(maxUploadBytes);
  r.post(
    '/deviceprofile/uploadfile',
    upload,
    asyncRoute(async (_req, res) => {
      const profile = await profiles.add(res.locals.profile as DeviceProfile);
      sendOk(res, 201, { id: profile.id });
    }),
  );
  r.put(
    '/deviceprofile/uploadfile',
    upload,
    asyncRoute(async (_req, res) => {
      await profiles.replace(res.locals.profile as DeviceProfile);
      sendOk(res, 200, {});
    }),
  );

  r.patch(
    '/deviceprofile/basicinfo',
    asyncRoute((req, res) =>
      handleBatch(req, res, DeviceProfileBasicInfoRequestSchema, async (item) => {
        await profiles.updateBasicInfo(item.basicinfo);
        return ok();
      }),
    ),
  );

  r.post(
    '/deviceprofile/resource',
    asyncRoute((req, res) =>
      handleBatch(req, res, AddDeviceResourceRequestSchema, async (item) => {
        await profiles.addResource(item.profileName, item.resource);
        return ok();
      }),
    ),
  );
  r.patch(
    '/deviceprofile/resource',
    asyncRoute((req, res) =>
      handleBatch(req, res, UpdateDeviceResourceRequestSchema, async (item) => {
        await profiles.updateResource(item.profileName, item.resource);
        return ok();
      }),
    ),
  );
  r.delete(
    '/deviceprofile/name/:name/resource/:resourceName',
    asyncRoute(async (req, res) => {
      await profiles.deleteResource(pathParam(req, 'name'), pathParam(req, 'resourceName'));
      sendOk(res, 200, {});
    }),
  );

  r.post(
    '/deviceprofile/deviceCommand',
    asyncRoute((req, res) =>
      handleBatch(req, res, AddDeviceCommandRequestSchema, async (item) => {
        await profiles.addCommand(item.profileName, item.deviceCommand);
        return ok();
      }),
    ),
  );
  r.patch(
    '/deviceprofile/deviceCommand',
    asyncRoute((req, res) =>
      handleBatch(req, res, UpdateDeviceCommandRequestSchema, async (item) => {
        await profiles.updateCommand(item.profileName, item.deviceCommand);
        return ok();
      }),
    ),
  );
  r.delete(
    '/deviceprofile/name/:name/deviceCommand/:commandName',
    asyncRoute(async (req, res) => {
      await profiles.deleteCommand(pathParam(req, 'name'), pathParam(req, 'commandName'));
      sendOk(res, 200, {});
    }),
  );

  const list = (filter: (p: Record<string, string>) => Partial<ProfileQuery>) =>
    asyncRoute(async (req, res) => {
      const params: Record<string, string> = {};
      for (const key of Object.keys(req.params)) params[key] = pathParam(req, key);
      const page = await profiles.list({ ...listParams(req, maxResultCount), ...filter(params) });
      sendOk(res, 200, { totalCount: page.totalCount, profiles: page.items.map(deviceProfileWire) });
    });
  r.get(
    '/deviceprofile/all',
    list(() => ({})),
  );
  r.get(
    '/deviceprofile/basicinfo/all',
    asyncRoute(async (req, res) => {
      const page = await profiles.basicInfos(listParams(req, maxResultCount));
      sendOk(res, 200, { totalCount: page.totalCount, profiles: page.items.map(deviceProfileBasicInfoWire) });
    }),
  );
  r.patch(
    '/deviceprofile/name/:name/tags',
    asyncRoute(async (req, res) => {
      await profiles.mergeTags(pathParam(req, 'name'), parseDto(DeviceProfileTagsRequestSchema, req.body, ''));
      sendOk(res, 200, {});
    }),
  );
  r.get(
    '/deviceprofile/manufacturer/:manufacturer',
    list((p) => ({ manufacturer: p.manufacturer })),
  );
  r.get(
    '/deviceprofile/model/:model',
    list((p) => ({ model: p.model })),
  );
  r.get(
    '/deviceprofile/manufacturer/:manufacturer/model/:model',
    list((p) => ({ manufacturer: p.manufacturer, model: p.model })),
  );

  r.get(
    '/deviceprofile/name/:name',
    asyncRoute(async (req, res) => sendOk(res, 200, { profile: deviceProfileWire(await profiles.byName(pathParam(req, 'name'))) })),
  );
  r.delete(
    '/deviceprofile/name/:name',
    asyncRoute(async (req, res) => {
      await profiles.deleteByName(pathParam(req, 'name'));
      sendOk(res, 200, {});
    }),
  );

  r.get(
    '/deviceresource/profile/:profileName/resource/:resourceName',
    asyncRoute(async (req, res) =>
      sendOk(res, 200, {
        resource: deviceResourceWire(await profiles.resource(pathParam(req, 'profileName'), pathParam(req, 'resourceName'))),
      }),
    ),
  );
  return router;
}
