export const contractsPlaceholder = 'contracts';
