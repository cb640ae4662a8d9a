export const SERVICE_NAME = 'support-logging';
