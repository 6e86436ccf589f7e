import { installServiceWorker } from '../shared/sw';

// The app shell, and the centre's public session list for the day (the beneficiary list and the dose outbox live in IndexedDB).
installServiceWorker({
  name: 'vaccinator',
  shell: ['/vaccinator/', '/assets/vaccinator.js', '/assets/app.css', '/assets/icon.svg', '/vaccinator/manifest.webmanifest'],
  cacheApi: (url) => url.pathname === '/api/v2/appointment/sessions/public/calendarByCenter',
});
