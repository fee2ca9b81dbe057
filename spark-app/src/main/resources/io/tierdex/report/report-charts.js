// Draws the charts of a tierdex report.html from the report.json inlined in the page.
// Every element with data-chart="<name>" gets the chart of that name; once all are drawn,
// document.body.dataset.chartsRendered holds how many actually drew something (tests wait
// for it). Runs synchronously at the end of the body: ECharts draws without animation.
(function () {
  'use strict';
  var report = JSON.parse(document.getElementById('tierdex-report').textContent);

  var UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  function bytes(n) {
    n = Number(n) || 0;
    if (Math.abs(n) < 1024) { return n + ' B'; }
    var u = 0;
    while (Math.abs(n) >= 1024 && u < UNITS.length - 1) { n /= 1024; u++; }
    return n.toFixed(1).replace(/\.0$/, '') + ' ' + UNITS[u];
  }
  function count(n) { return (Number(n) || 0).toLocaleString('en-US'); }
  function shortPath(p, max) {
    return p.length <= max ? p : '\u2026' + p.slice(p.length - max + 1);
  }

  // The highest bar of a panel: stacked series add up per category.
  function highest(series) {
    var stacks = {};
    var top = 0;
    series.forEach(function (s) {
      s.data.forEach(function (d, i) {
        var v = Number(d !== null && typeof d === 'object' ? d.value : d) || 0;
        if (s.stack) {
          var sums = stacks[s.stack] || (stacks[s.stack] = []);
          sums[i] = (sums[i] || 0) + v;
          v = sums[i];
        }
        top = Math.max(top, v);
      });
    });
    return top;
  }

  // Byte axes tick in round binary units (2 MiB, not 1.9 MiB): ECharts picks decimal steps.
  function byteTicks(max) {
    if (!(max > 0)) { return {}; }
    var unit = 1;
    while (max / unit >= 1024) { unit *= 1024; }
    var rough = max / unit / 5;
    var power = Math.pow(10, Math.floor(Math.log10(rough)));
    var step = [1, 2, 2.5, 5, 10].map(function (f) { return f * power; })
      .filter(function (x) { return x >= rough; })[0];
    var interval = Math.max(1, step * unit);
    return { interval: interval, max: Math.ceil(max / interval) * interval };
  }

  function valueAxis(kind, extra) {
    var axis = {
      type: 'value', axisLabel: { formatter: kind === 'bytes' ? bytes : count, fontSize: 11 },
      splitLine: { lineStyle: { color: '#e4e7eb' } }
    };
    if (kind !== 'bytes') { axis.minInterval = 1; }
    Object.keys(extra).forEach(function (k) { axis[k] = extra[k]; });
    return axis;
  }

  var OUTCOME_COLORS = {
    MIGRATED: '#2e7d32', PLANNED: '#1565c0', SKIPPED_CHANGED: '#f9a825',
    SKIPPED_HOT: '#ef6c00', SKIPPED_OPEN: '#8d6e63', VANISHED: '#90a4ae', FAILED: '#c62828'
  };
  var KIND_COLORS = {
    ADDED: '#2e7d32', REMOVED: '#c62828', MODIFIED: '#f9a825', RENAMED: '#6a1b9a',
    REPLACED: '#ef6c00', MIGRATED: '#1565c0'
  };
  var MOVED = '#1565c0';
  var REMAINING = '#ef6c00';

  // Charts of "bytes and files": one panel per measure, stacked vertically, sharing the
  // categories and the legend (a legend click hides a series in both panels).
  function panels(categories, list, rotate, legend) {
    var n = list.length;
    var gap = 8;
    var height = (100 - 14 - gap * (n - 1) - (rotate ? 14 : 8)) / n;
    var option = {
      aria: { enabled: true },
      legend: { show: legend !== false, top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: [], xAxis: [], yAxis: [], series: []
    };
    list.forEach(function (p, i) {
      var top = 12 + i * (height + gap);
      var last = i === n - 1;
      option.grid.push({ left: 78, right: 16, top: top + '%', height: height + '%' });
      option.xAxis.push({
        type: 'category', gridIndex: i, data: categories,
        axisLabel: last ? { interval: 0, rotate: rotate ? 28 : 0, fontSize: 11 } : { show: false },
        axisTick: { alignWithLabel: true }
      });
      var extra = p.axis === 'bytes' ? byteTicks(highest(p.series)) : {};
      extra.gridIndex = i;
      extra.name = p.axis;
      extra.nameGap = 8;
      extra.nameTextStyle = { align: 'left', color: '#52606d' };
      option.yAxis.push(valueAxis(p.axis, extra));
      p.series.forEach(function (s) {
        option.series.push({
          name: s.name, type: s.type || 'bar', xAxisIndex: i, yAxisIndex: i,
          stack: s.stack, data: s.data, barMaxWidth: 36, showSymbol: false,
          itemStyle: s.color ? { color: s.color } : undefined,
          tooltip: { valueFormatter: p.axis === 'bytes' ? bytes : count }
        });
      });
    });
    return option;
  }

  function colored(values, colors, names) {
    return values.map(function (v, i) {
      return { value: v, itemStyle: { color: colors[names[i]] || '#607d8b' } };
    });
  }

  function horizontal(labels, values, files, color, fullNames) {
    return {
      aria: { enabled: true },
      tooltip: {
        trigger: 'item',
        formatter: function (p) {
          return fullNames[p.dataIndex] + '<br>' + bytes(p.value) + ' in '
            + count(files[p.dataIndex]) + ' files';
        }
      },
      grid: { left: 8, right: 72, top: 8, bottom: 8, containLabel: true },
      xAxis: valueAxis('bytes', byteTicks(Math.max.apply(null, values.concat([0])))),
      yAxis: { type: 'category', inverse: true, data: labels, axisLabel: { fontSize: 11 } },
      series: [{ type: 'bar', data: values, itemStyle: { color: color }, barMaxWidth: 22,
        label: { show: true, position: 'right', formatter: function (p) { return bytes(p.value); },
          fontSize: 11 } }]
    };
  }

  function pluck(list, key) { return list.map(function (x) { return x[key]; }); }

  function distribution(d) {
    var movedName = d.moved === 'PLANNED' ? 'planned' : 'moved';
    return panels(pluck(d.buckets, 'label'), [
      { axis: 'bytes', series: [
        { name: movedName, data: pluck(d.buckets, 'moved_bytes'), color: MOVED },
        { name: 'remaining', data: pluck(d.buckets, 'remaining_bytes'), color: REMAINING }] },
      { axis: 'files', series: [
        { name: movedName, data: pluck(d.buckets, 'moved_files'), color: MOVED },
        { name: 'remaining', data: pluck(d.buckets, 'remaining_files'), color: REMAINING }] }
    ], true);
  }

  function clock(startIso, offsetSeconds) {
    var t = new Date(Date.parse(startIso) + offsetSeconds * 1000);
    return t.toISOString().substring(11, 19);
  }

  var charts = {
    outcomes: function (r) {
      var o = r.moves.outcomes;
      var names = pluck(o, 'outcome');
      return panels(names, [
        { axis: 'bytes', series: [{ name: 'bytes', data: colored(pluck(o, 'bytes'), OUTCOME_COLORS, names) }] },
        { axis: 'files', series: [{ name: 'files', data: colored(pluck(o, 'files'), OUTCOME_COLORS, names) }] }
      ], true, false);
    },
    rules: function (r) {
      var rules = [];
      var outcomes = [];
      r.moves.rules.forEach(function (t) {
        if (rules.indexOf(t.rule) < 0) { rules.push(t.rule); }
        if (outcomes.indexOf(t.outcome) < 0) { outcomes.push(t.outcome); }
      });
      function values(outcome, key) {
        return rules.map(function (rule) {
          var hit = r.moves.rules.filter(function (t) {
            return t.rule === rule && t.outcome === outcome;
          })[0];
          return hit ? hit[key] : 0;
        });
      }
      function series(key) {
        return outcomes.map(function (o) {
          return { name: o, stack: key, data: values(o, key), color: OUTCOME_COLORS[o] };
        });
      }
      return panels(rules, [{ axis: 'bytes', series: series('bytes') },
        { axis: 'files', series: series('files') }], rules.length > 4);
    },
    sizes: function (r) { return distribution(r.sizes); },
    ages: function (r) { return distribution(r.ages); },
    users: function (r) {
      var u = r.top_users;
      var names = u.map(function (x) {
        return x.uid === undefined || x.uid === null ? '(not in snapshot)'
          : x.name ? x.name + ' (' + x.uid + ')' : 'uid ' + x.uid;
      });
      return horizontal(names, pluck(u, 'bytes'), pluck(u, 'files'), MOVED, names);
    },
    directories: function (r) {
      var d = r.top_directories;
      var full = pluck(d, 'dir');
      return horizontal(full.map(function (p) { return shortPath(p, 42); }), pluck(d, 'bytes'),
        pluck(d, 'files'), MOVED, full);
    },
    changes: function (r) {
      var k = r.changes.kinds;
      var names = pluck(k, 'kind');
      return panels(names, [
        { axis: 'bytes', series: [{ name: 'bytes', data: colored(pluck(k, 'bytes'), KIND_COLORS, names) }] },
        { axis: 'entries', series: [{ name: 'entries', data: colored(pluck(k, 'entries'), KIND_COLORS, names) }] }
      ], false, false);
    },
    throughput: function (r) {
      var t = r.throughput;
      var labels = t.buckets.map(function (b) { return clock(t.start, b.offset_seconds); });
      return panels(labels, [
        { axis: 'bytes', series: [{ name: 'bytes finished', data: pluck(t.buckets, 'bytes'), color: MOVED }] },
        { axis: 'files', series: [{ name: 'files finished', data: pluck(t.buckets, 'files'), color: '#00897b' }] }
      ], true);
    },
    history: function (r) {
      var h = r.history;
      var labels = h.map(function (x) { return x.date.substring(5, 16).replace('T', ' '); });
      return panels(labels, [
        { axis: 'bytes', series: [{ name: 'bytes moved', data: pluck(h, 'moved_bytes'), color: MOVED }] },
        { axis: 'files', series: [
          { name: 'files moved', data: pluck(h, 'moved_files'), color: '#00897b' },
          { name: 'files failed', data: pluck(h, 'failed_files'), color: OUTCOME_COLORS.FAILED }] }
      ], h.length > 6);
    }
  };

  var drawn = [];
  var rendered = 0;
  Array.prototype.forEach.call(document.querySelectorAll('[data-chart]'), function (el) {
    var build = charts[el.getAttribute('data-chart')];
    try {
      if (!build) { throw new Error('no chart named ' + el.getAttribute('data-chart')); }
      var option = build(report);
      option.animation = false;
      var chart = echarts.init(el, null, { renderer: 'svg' });
      chart.setOption(option);
      drawn.push(chart);
      if (el.querySelectorAll('svg path, svg rect, svg text').length > 0) { rendered++; }
    } catch (e) {
      el.classList.add('failed');
      el.textContent = 'This chart could not be drawn: ' + e.message;
    }
  });
  window.addEventListener('resize', function () {
    drawn.forEach(function (c) { c.resize(); });
  });
  document.body.dataset.chartsRendered = String(rendered);
})();
