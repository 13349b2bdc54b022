import './theme.css';
import './mp-app.js';
import { registerServiceWorker } from './register-service-worker.js';

registerServiceWorker();
