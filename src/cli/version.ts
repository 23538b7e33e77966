/** The CLI's version (`baton --version`, the `User-Agent` of remote calls). */
export const VERSION = '0.1.0';
