export const devicePlaceholder = 'device';
