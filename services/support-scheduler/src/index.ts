export const SERVICE_NAME = 'support-scheduler';
