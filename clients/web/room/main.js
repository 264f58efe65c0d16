// The room page: see docs/try-it.md.
document.getElementById('app').textContent = 'Coordinator room';
