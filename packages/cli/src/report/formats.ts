/** The output formats of `kra check`. */
export const CHECK_FORMATS = ['stylish', 'json', 'sarif', 'github', 'gitlab'] as const;
