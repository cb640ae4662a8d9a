export const runtimePlaceholder = 'runtime';
