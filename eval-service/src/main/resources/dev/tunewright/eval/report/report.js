// Draws the evaluation report's charts from the JSON in #report-data with the inlined Apache ECharts (SVG renderer,
// no animation, so what a browser shows right after load is final). Every chart container has class "chart";
// body[data-charts] counts the charts drawn, which is what the headless-browser test checks.
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var roles = Object.keys(data.models);
  var names = {base: 'base', fine_tuned: 'fine-tuned', reference: 'reference'};
  var colours = {base: '#8c8c8c', fine_tuned: '#2f6fdb', reference: '#d9822b'};
  var drawn = 0;

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    option.animation = false;
    echarts.init(el, null, {renderer: 'svg'}).setOption(option);
    drawn++;
  }

  if (data.loss) {
    var series = [];
    ['train_loss', 'valid_loss'].forEach(function (column) {
      if (!data.loss[column]) { return; }
      var points = [];
      data.loss.step.forEach(function (step, i) {
        if (data.loss[column][i] !== null) { points.push([step, data.loss[column][i]]); }
      });
      series.push({name: column.replace('_', ' '), type: 'line', showSymbol: points.length < 60, data: points});
    });
    chart('chart-loss', {
      tooltip: {trigger: 'axis'}, legend: {}, grid: {left: 60, right: 30},
      xAxis: {type: 'value', name: 'step', minInterval: 1}, yAxis: {type: 'value', name: 'loss', scale: true},
      series: series
    });
  }

  var metrics = data.task_metrics;
  var width = 0.7 / roles.length;
  var metricSeries = [];
  roles.forEach(function (role, k) {
    metricSeries.push({
      name: names[role], type: 'bar', barWidth: (width * 100) + '%', barGap: '0%', itemStyle: {color: colours[role]},
      data: metrics.map(function (m) { return data.models[role].metrics[m]; })
    });
    metricSeries.push({
      name: names[role], type: 'custom', z: 10,
      data: metrics.map(function (m, i) {
        var iv = data.models[role].intervals[m];
        return iv ? [i, iv[0], iv[1]] : [i, null, null];
      }),
      renderItem: function (params, api) {
        if (api.value(1) === null || isNaN(api.value(1))) { return null; }
        var band = api.size([1, 0])[0];
        var x = api.coord([api.value(0), 0])[0] + (k - (roles.length - 1) / 2) * band * width;
        var low = api.coord([api.value(0), api.value(1)])[1];
        var high = api.coord([api.value(0), api.value(2)])[1];
        var cap = band * width * 0.25;
        var style = {stroke: '#222', lineWidth: 1.5};
        return {type: 'group', children: [
          {type: 'line', shape: {x1: x, y1: low, x2: x, y2: high}, style: style},
          {type: 'line', shape: {x1: x - cap, y1: low, x2: x + cap, y2: low}, style: style},
          {type: 'line', shape: {x1: x - cap, y1: high, x2: x + cap, y2: high}, style: style}
        ]};
      }
    });
  });
  chart('chart-metrics', {
    tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}},
    legend: {data: roles.map(function (r) { return names[r]; })}, grid: {left: 50, right: 30},
    xAxis: {type: 'category', data: metrics}, yAxis: {type: 'value', min: 0, max: 1},
    series: metricSeries
  });

  if (data.classification) {
    var labels = data.classification.labels;
    var columns = labels.concat(['(other)']);
    roles.forEach(function (role) {
      var matrix = data.classification.confusion[role];
      var cells = [];
      var max = 1;
      matrix.forEach(function (row, r) {
        row.forEach(function (count, c) { cells.push([c, r, count]); max = Math.max(max, count); });
      });
      chart('chart-confusion-' + role, {
        title: {text: names[role], left: 'center', textStyle: {fontSize: 13}},
        tooltip: {formatter: function (p) { return 'expected ' + labels[p.value[1]] + ', answered ' + columns[p.value[0]] + ': ' + p.value[2]; }},
        grid: {left: 90, right: 20, top: 40, bottom: 60},
        xAxis: {type: 'category', data: columns, name: 'answered', nameLocation: 'center', nameGap: 30},
        yAxis: {type: 'category', data: labels, name: 'expected', inverse: true},
        visualMap: {min: 0, max: max, show: false, inRange: {color: ['#f4f7fc', colours[role]]}},
        series: [{type: 'heatmap', data: cells, label: {show: true}}]
      });
    });
  }

  chart('chart-latency', {
    tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}}, legend: {}, grid: {left: 60, right: 30},
    xAxis: {type: 'category', data: roles.map(function (r) { return names[r]; })},
    yAxis: {type: 'value', name: 'ms per example'},
    series: ['latency_ms_p50', 'latency_ms_p95'].map(function (m) {
      return {name: m.replace('latency_ms_', ''), type: 'bar',
              data: roles.map(function (r) { return data.models[r].metrics[m] || 0; })};
    })
  });

  document.body.setAttribute('data-charts', String(drawn));
})();
