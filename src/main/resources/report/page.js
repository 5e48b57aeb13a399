(function () {
  'use strict';
  var filter = document.getElementById('filter');
  var count = document.getElementById('filter-count');

  function applyFilter() {
    var q = filter.value.trim().toLowerCase();
    var rows = document.querySelectorAll('tr[data-search]');
    var shown = 0;
    var last = null;
    Array.prototype.forEach.call(rows, function (row) {
      var hit = q === '' || row.getAttribute('data-search').indexOf(q) >= 0;
      row.hidden = !hit;
      var details = document.getElementById(row.getAttribute('data-details'));
      if (details) {
        details.hidden = !hit;
      }
      if (hit) {
        shown++;
        last = details;
      }
    });
    // Narrowed down to one repository: show its manifests without another click.
    if (shown === 1 && last) {
      last.open = true;
    }
    count.textContent = shown + ' of ' + rows.length + ' repositories shown';
  }

  function cellKey(cell, numeric) {
    var v = cell.hasAttribute('data-v') ? cell.getAttribute('data-v') : cell.textContent;
    return numeric ? Number(v) : v.toLowerCase();
  }

  function sortBy(th, ascending) {
    var table = th.closest('table');
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.classList.contains('num');
    Array.prototype.forEach.call(table.querySelectorAll('th'), function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellKey(a.cells[index], numeric);
      var y = cellKey(b.cells[index], numeric);
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  Array.prototype.forEach.call(document.querySelectorAll('table.sortable th'), function (th) {
    th.addEventListener('click', function () { sortBy(th, th.getAttribute('aria-sort') !== 'ascending'); });
  });
  filter.addEventListener('input', applyFilter);

  // A link can carry a view: #filter=app/api&sort=delete (descending by that column of every repository table).
  location.hash.replace(/^#/, '').split('&').forEach(function (part) {
    var eq = part.indexOf('=');
    if (eq < 0) {
      return;
    }
    var key = part.substring(0, eq);
    var value = decodeURIComponent(part.substring(eq + 1));
    if (key === 'filter') {
      filter.value = value;
    } else if (key === 'sort') {
      Array.prototype.forEach.call(document.querySelectorAll('table.repositories th[data-key]'), function (th) {
        if (th.getAttribute('data-key') === value) {
          sortBy(th, false);
        }
      });
    }
  });
  applyFilter();
})();
