import { ConsoleLogger, LogLevel } from '@nestjs/common';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** The process logger from LOG_LEVEL (that level and the more severe ones) and LOG_FORMAT. */
export function appLogger(config: { LOG_LEVEL: LogLevel; LOG_FORMAT: 'text' | 'json' }, name: string): ConsoleLogger {
  return new ConsoleLogger(name, {
    logLevels: LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1),
    json: config.LOG_FORMAT === 'json',
    colors: config.LOG_FORMAT !== 'json',
    prefix: name,
  });
}
