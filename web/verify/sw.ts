import { installServiceWorker } from '../shared/sw';

// The verifier's shell only: trust bundle and revocation snapshot live in localStorage with their age (main.ts).
installServiceWorker({ name: 'verify', shell: ['/verify/', '/assets/verify.js', '/assets/app.css', '/assets/icon.svg'], cacheApi: () => false });
