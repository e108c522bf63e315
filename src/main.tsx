import { createRoot } from 'react-dom/client';
import { App } from './App';
import './app.css';

// No StrictMode: its double-mounted effects would create and tear down Cornerstone's WebGL
// rendering engine twice on start.
createRoot(document.getElementById('root')!).render(<App />);

// Offline after the first visit (public/sw.js). Production builds only: the dev server's modules
// change on every edit.
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // without it the app still works online; nothing to tell the user
    });
  });
}
