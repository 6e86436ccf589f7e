/**
 * The vaccinator app's device storage (IndexedDB): the day's list of beneficiaries looked up at
 * this centre, and the dose outbox. A dose is written here first, with its event id, before any
 * network call, so closing the tab or restarting the phone loses nothing; the sync sends the
 * outbox through the offline batch API, which records each event id at most once.
 */
export interface Person {
  beneficiary_reference_id: string;
  name: string;
  birth_year: string;
  gender: string;
  photo_id_type: string;
  photo_id_number: string;
  vaccination_status: string;
  vaccine: string;
  dose1_date: string;
  dose2_date: string;
  mobile_number?: string;
  appointments: { appointment_id: string; center_id: number; dose: number; date: string; slot: string; session_id: string }[];
  day: string;
}

export interface DoseEvent {
  event_id: string;
  client_timestamp: string;
  given_at: string;
  beneficiary_reference_id: string;
  center_id: number;
  vaccine: string;
  vaccine_batch: string;
  dose: number;
  vaccinator_name: string;
  appointment_id?: string;
  /** The presence check the API asks for: the slip's code for a booked person, the photo ID number shown for a walk-in. Removed once synced. */
  booking_code?: string;
  photo_id_number?: string;
  /** Local bookkeeping, not sent. */
  name: string;
  state: 'waiting' | 'recorded' | 'duplicate' | 'rejected';
  reason?: string;
  day: string;
}

const DB = 'cowin-vaccinator';
let opened: Promise<IDBDatabase> | undefined;

function db(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore('people', { keyPath: 'beneficiary_reference_id' });
      req.result.createObjectStore('outbox', { keyPath: 'event_id' });
      req.result.createObjectStore('kv');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opened;
}

async function tx<T>(store: string, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T> {
  const d = await db();
  return new Promise((resolve, reject) => {
    const t = d.transaction(store, mode);
    const r = fn(t.objectStore(store));
    t.oncomplete = () => resolve(r ? r.result : (undefined as T));
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
}

export const allPeople = () => tx<Person[]>('people', 'readonly', (s) => s.getAll() as IDBRequest<Person[]>);
export const putPerson = (p: Person) => tx('people', 'readwrite', (s) => void s.put(p));
export const allEvents = () => tx<DoseEvent[]>('outbox', 'readonly', (s) => s.getAll() as IDBRequest<DoseEvent[]>);
export const putEvent = (e: DoseEvent) => tx('outbox', 'readwrite', (s) => void s.put(e));
export const getKv = <T>(key: string) => tx<T | undefined>('kv', 'readonly', (s) => s.get(key) as IDBRequest<T | undefined>);
export const setKv = (key: string, value: unknown) => tx('kv', 'readwrite', (s) => void s.put(value, key));
export const clearAll = async () => {
  for (const s of ['people', 'kv']) await tx(s, 'readwrite', (st) => void st.clear());
};
