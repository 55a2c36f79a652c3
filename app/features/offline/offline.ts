/** Sent by public/save-offline.js when it fetches a course's lessons to keep on the phone. */
export const OFFLINE_SAVE_HEADER = 'X-Offline-Save'
