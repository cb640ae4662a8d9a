export const clientPlaceholder = 'client';
