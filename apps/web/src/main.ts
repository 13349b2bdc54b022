import './theme.css';
import './mp-app.js';
