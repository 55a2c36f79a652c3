/** Sent by app/browser/save-offline.ts when it fetches a course's lessons to keep on the phone; the name lives with the phone's other offline names. */
export { OFFLINE_SAVE_HEADER } from '#app/kernel/offline-constants.ts'
