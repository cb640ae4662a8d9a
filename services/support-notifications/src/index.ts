export const SERVICE_NAME = 'support-notifications';
