export * from './domain.js';
export * from './protocol/errors.js';
export * from './protocol/media.js';
export * from './protocol/requests.js';
export * from './protocol/notifications.js';
export * from './protocol/admin.js';
export * from './protocol/recordings.js';
export * from './protocol/ingest.js';
