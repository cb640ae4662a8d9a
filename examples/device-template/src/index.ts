/** device-template: placeholder until the template lands. */
export const SERVICE_NAME = 'device-template';
