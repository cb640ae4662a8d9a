/** `@edgex-ts/create-device-service`: the starter behind `npm init @edgex-ts/device-service <name>`. */
export { createDeviceService, type CreateOptions, type CreatedProject } from './create.js';
