import {
  DeviceProfileSchema,
  DeviceSchema,
  DeviceServiceSchema,
  EdgeXError,
  ProvisionWatcherSchema,
  UpdateDeviceSchema,
  UpdateDeviceServiceSchema,
  UpdateProvisionWatcherSchema,
  coremetadataV1 as pb,
  deviceFromProto,
  deviceProfileFromProto,
  deviceProfileToProto,
  deviceResourceToProto,
  deviceServiceFromProto,
  deviceServiceToProto,
  deviceServiceUpdateFromProto,
  deviceToProto,
  deviceUpdateFromProto,
  parseDto,
  provisionWatcherFromProto,
  provisionWatcherToProto,
  provisionWatcherUpdateFromProto,
} from '@edgex-ts/contracts';
import { grpcUnary } from '@edgex-ts/runtime';
import type { Logger } from 'pino';
import type { MetadataDomain } from '../domain/index.js';
import { pageParams, required } from './paging.js';

/** The message a request must carry, or INVALID_ARGUMENT naming it. */
function present<T>(value: T | undefined, field: string): T {
  if (value === undefined || value === null) throw new EdgeXError('ContractInvalid', `${field}: is required`);
  return value;
}

/**
 * edgex.coremetadata.v1.CoreMetadataService over the domain: proto → DTO (validated with the same
 * schemas as REST) → domain → proto. EdgeXErrors become gRPC statuses in grpcUnary.
 */
export function coreMetadataGrpcService(domain: MetadataDomain, maxResultCount: number, log: Logger): pb.CoreMetadataServiceServer {
  const { deviceServices, deviceProfiles, devices, provisionWatchers } = domain;
  const unary = <Req, Res>(fn: (req: Req) => Promise<Res>) => grpcUnary<Req, Res>(fn, log);

  return {
    addDeviceService: unary(async (req: pb.AddDeviceServiceRequest) => {
      const dto = parseDto(DeviceServiceSchema, deviceServiceFromProto(present(req.service, 'service')), 'service');
      return { id: (await deviceServices.add(dto)).id! };
    }),
    updateDeviceService: unary(async (req: pb.UpdateDeviceServiceRequest) => {
      const patch = deviceServiceUpdateFromProto(present(req.service, 'service'), req.updateMask);
      await deviceServices.update(parseDto(UpdateDeviceServiceSchema, patch, 'service'));
      return {};
    }),
    getDeviceService: unary(async (req: pb.GetDeviceServiceRequest) => ({
      service: deviceServiceToProto(await deviceServices.byName(required(req.name, 'name'))),
    })),
    listDeviceServices: unary(async (req: pb.ListDeviceServicesRequest) => {
      const page = await deviceServices.list(pageParams(req.page, req.labels, maxResultCount));
      return { services: page.items.map(deviceServiceToProto), totalCount: page.totalCount };
    }),
    deleteDeviceService: unary(async (req: pb.DeleteDeviceServiceRequest) => {
      await deviceServices.deleteByName(required(req.name, 'name'));
      return {};
    }),

    addDeviceProfile: unary(async (req: pb.AddDeviceProfileRequest) => {
      const dto = parseDto(DeviceProfileSchema, deviceProfileFromProto(present(req.profile, 'profile')), 'profile');
      return { id: (await deviceProfiles.add(dto)).id! };
    }),
    updateDeviceProfile: unary(async (req: pb.UpdateDeviceProfileRequest) => {
      const dto = parseDto(DeviceProfileSchema, deviceProfileFromProto(present(req.profile, 'profile')), 'profile');
      await deviceProfiles.replace(dto);
      return {};
    }),
    uploadDeviceProfile: unary(async (req: pb.UploadDeviceProfileRequest) => ({
      id: (await deviceProfiles.upload(req.content, req.replace)).id!,
    })),
    getDeviceProfile: unary(async (req: pb.GetDeviceProfileRequest) => ({
      profile: deviceProfileToProto(await deviceProfiles.byName(required(req.name, 'name'))),
    })),
    listDeviceProfiles: unary(async (req: pb.ListDeviceProfilesRequest) => {
      const page = await deviceProfiles.list(pageParams(req.page, req.labels, maxResultCount));
      return { profiles: page.items.map(deviceProfileToProto), totalCount: page.totalCount };
    }),
    deleteDeviceProfile: unary(async (req: pb.DeleteDeviceProfileRequest) => {
      await deviceProfiles.deleteByName(required(req.name, 'name'));
      return {};
    }),
    getDeviceResource: unary(async (req: pb.GetDeviceResourceRequest) => ({
      resource: deviceResourceToProto(await deviceProfiles.resource(required(req.profileName, 'profile_name'), required(req.resourceName, 'resource_name'))),
    })),

    addDevice: unary(async (req: pb.AddDeviceRequest) => {
      const dto = parseDto(DeviceSchema, deviceFromProto(present(req.device, 'device')), 'device');
      return { id: (await devices.add(dto, { bypassValidation: req.bypassValidation })).id! };
    }),
    updateDevice: unary(async (req: pb.UpdateDeviceRequest) => {
      const patch = deviceUpdateFromProto(present(req.device, 'device'), req.updateMask);
      await devices.update(parseDto(UpdateDeviceSchema, patch, 'device'), { bypassValidation: req.bypassValidation });
      return {};
    }),
    getDevice: unary(async (req: pb.GetDeviceRequest) => ({
      device: deviceToProto(await devices.byName(required(req.name, 'name'))),
    })),
    listDevices: unary(async (req: pb.ListDevicesRequest) => {
      const params = pageParams(req.page, req.labels, maxResultCount);
      if (req.serviceName && req.profileName) {
        throw new EdgeXError('ContractInvalid', 'service_name and profile_name: give at most one of them');
      }
      const page = req.serviceName
        ? await devices.byService(req.serviceName, params)
        : req.profileName
          ? await devices.byProfile(req.profileName, params)
          : await devices.list(params);
      return { devices: page.items.map(deviceToProto), totalCount: page.totalCount };
    }),
    deleteDevice: unary(async (req: pb.DeleteDeviceRequest) => {
      await devices.deleteByName(required(req.name, 'name'));
      return {};
    }),

    addProvisionWatcher: unary(async (req: pb.AddProvisionWatcherRequest) => {
      const dto = parseDto(ProvisionWatcherSchema, provisionWatcherFromProto(present(req.provisionWatcher, 'provision_watcher')), 'provisionWatcher');
      return { id: (await provisionWatchers.add(dto)).id! };
    }),
    updateProvisionWatcher: unary(async (req: pb.UpdateProvisionWatcherRequest) => {
      const patch = provisionWatcherUpdateFromProto(present(req.provisionWatcher, 'provision_watcher'), req.updateMask);
      await provisionWatchers.update(parseDto(UpdateProvisionWatcherSchema, patch, 'provisionWatcher'));
      return {};
    }),
    getProvisionWatcher: unary(async (req: pb.GetProvisionWatcherRequest) => ({
      provisionWatcher: provisionWatcherToProto(await provisionWatchers.byName(required(req.name, 'name'))),
    })),
    listProvisionWatchers: unary(async (req: pb.ListProvisionWatchersRequest) => {
      const params = pageParams(req.page, req.labels, maxResultCount);
      if (req.serviceName && req.profileName) {
        throw new EdgeXError('ContractInvalid', 'service_name and profile_name: give at most one of them');
      }
      const page = req.serviceName
        ? await provisionWatchers.byService(req.serviceName, params)
        : req.profileName
          ? await provisionWatchers.byProfile(req.profileName, params)
          : await provisionWatchers.list(params);
      return { provisionWatchers: page.items.map(provisionWatcherToProto), totalCount: page.totalCount };
    }),
    deleteProvisionWatcher: unary(async (req: pb.DeleteProvisionWatcherRequest) => {
      await provisionWatchers.deleteByName(required(req.name, 'name'));
      return {};
    }),
  };
}
