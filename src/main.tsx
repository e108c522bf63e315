import { createRoot } from 'react-dom/client';
import { App } from './App';
import './app.css';

// No StrictMode: its double-mounted effects would create and tear down Cornerstone's WebGL
// rendering engine twice on start.
createRoot(document.getElementById('root')!).render(<App />);
