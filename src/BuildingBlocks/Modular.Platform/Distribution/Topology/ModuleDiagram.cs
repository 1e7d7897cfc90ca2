using System.Globalization;
using System.Text;

namespace Modular.Platform.Distribution.Topology;

/// <summary>
/// The module map as a Mermaid flowchart: one box per deployment, one arrow per publisher → subscriber pair
/// listing its messages. Solid arrows stay in-process; dotted red ones are network hops over the transport.
/// </summary>
public static class ModuleDiagram
{
    public static string Mermaid(ModuleMapView map)
    {
        var text = new StringBuilder("flowchart LR\n");
        foreach (var deployment in map.Modules.Select(m => m.Deployment).Distinct())
        {
            var modules = map.Modules.Where(m => m.Deployment == deployment).ToList();
            if (modules.Count == 0) continue;
            var title = deployment == map.Gateway ? $"{deployment} (gateway)" : deployment;
            text.Append(CultureInfo.InvariantCulture, $"  subgraph {Id(deployment)}_deployment[\"{title}\"]\n");
            foreach (var module in modules)
                text.Append(CultureInfo.InvariantCulture, $"    {Id(module.Name)}[\"{module.Name}<br/><small>schema {module.Schema}</small>\"]\n");
            text.Append("  end\n");
        }

        var hops = new List<int>();
        var arrows = map.Edges.GroupBy(e => (e.From, e.To, e.OverTransport)).OrderBy(g => g.Key.From, StringComparer.Ordinal).ThenBy(g => g.Key.To, StringComparer.Ordinal).ToList();
        for (var i = 0; i < arrows.Count; i++)
        {
            var (from, to, overTransport) = arrows[i].Key;
            var label = string.Join(", ", arrows[i].Select(e => e.Message).Order(StringComparer.Ordinal));
            if (overTransport)
            {
                hops.Add(i);
                text.Append(CultureInfo.InvariantCulture, $"  {Id(from)} -.->|\"{label}<br/><i>over {map.Transport}</i>\"| {Id(to)}\n");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"  {Id(from)} -->|\"{label}\"| {Id(to)}\n");
            }
        }

        if (hops.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $"  linkStyle {string.Join(',', hops)} stroke:#d33,stroke-width:2px\n");
        return text.ToString();
    }

    private static string Id(string name) => name.ToLowerInvariant().Replace('-', '_');
}
