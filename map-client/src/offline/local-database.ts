import { openDB, type IDBPDatabase } from 'idb';
import type { LocalSchema } from './local-database-schema.ts';

/**
 * What the map keeps on the device, in one IndexedDB database: the reports waiting to be sent
 * (with their photos) and the reports the person sent or follows, with the tokens that let them rate
 * and answer. Nothing here is sent anywhere except the queued reports, to this platform.
 */
export type LocalDatabase = IDBPDatabase<LocalSchema>;

export const localDatabaseName = 'bandoso';

export function openLocalDatabase(name: string = localDatabaseName): Promise<LocalDatabase> {
  return openDB<LocalSchema>(name, 1, {
    upgrade(database) {
      if (!database.objectStoreNames.contains('report-queue')) database.createObjectStore('report-queue', { keyPath: 'id' });
      if (!database.objectStoreNames.contains('my-reports')) database.createObjectStore('my-reports', { keyPath: 'trackingCode' });
    },
  });
}
