document.querySelectorAll('[data-print]').forEach(function (b) { b.addEventListener('click', function () { window.print() }) })
