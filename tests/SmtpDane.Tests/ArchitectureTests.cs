using NetArchTest.Rules;
using SmtpDane.Model;

namespace SmtpDane.Tests;

/// <summary>
/// Pins the layering of <c>src/SmtpDane/</c> (README, "How it is built"): each namespace may
/// depend only on namespaces in lower layers, or on a sibling in its own layer as long as no
/// cycle forms. Dependencies are read from the compiled IL (NetArchTest.Rules), so a fully
/// qualified name or a <c>global using</c> cannot hide one.
/// </summary>
public class ArchitectureTests
{
    /// <summary>Top to bottom. A new folder must be placed here before its test passes.</summary>
    public static readonly string[][] Layers =
    [
        ["Cli"],
        ["Batch", "Exporter"],
        ["Probing", "Reporting"],
        ["Discovery", "MtaSts", "Net", "Smtp", "Tls"],
        ["Dane", "Certificates"],
        ["Dns"],
        ["Findings", "Targets"],
        ["Model"],
    ];

    private static readonly Lazy<Dictionary<string, SortedDictionary<string, IReadOnlyList<string>>>> Graph = new(BuildGraph);

    [Fact]
    public void Namespaces_AllPlacedInALayer()
    {
        var placed = Layers.SelectMany(l => l).Select(n => "SmtpDane." + n).ToHashSet(StringComparer.Ordinal);
        var unplaced = AllNamespaces().Where(n => !placed.Contains(n)).ToList();
        Assert.True(unplaced.Count == 0, "namespaces missing from ArchitectureTests.Layers: " + string.Join(", ", unplaced));
    }

    [Fact]
    public void Namespaces_DependOnlyDownward()
    {
        var level = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Layers.Length; i++)
        {
            foreach (var n in Layers[i])
            {
                level["SmtpDane." + n] = i;
            }
        }

        var violations = new List<string>();
        foreach (var (from, edges) in Graph.Value)
        {
            foreach (var (to, types) in edges)
            {
                if (level.TryGetValue(from, out var a) && level.TryGetValue(to, out var b) && b < a)
                {
                    violations.Add($"{from} -> {to} (upward) via {string.Join(", ", types)}");
                }
            }
        }

        Assert.True(violations.Count == 0, "layering violated:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Namespaces_HaveNoCycles()
    {
        var cycle = FindCycle(Graph.Value);
        Assert.True(cycle is null, "namespace cycle: " + (cycle is null ? "" : Describe(cycle, Graph.Value)));
    }

    [Fact]
    public void Model_DependsOnNothingElse()
    {
        var result = Types.InAssembly(typeof(Target).Assembly).That().ResideInNamespace("SmtpDane.Model")
            .ShouldNot().HaveDependencyOnAny(AllNamespaces().Where(n => n != "SmtpDane.Model").ToArray()).GetResult();
        Assert.True(result.IsSuccessful, "Model depends on: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    private static List<string> AllNamespaces() =>
        typeof(Target).Assembly.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith("SmtpDane.", StringComparison.Ordinal))
            .Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>from → to → the types in <c>from</c> that use <c>to</c>.</summary>
    private static Dictionary<string, SortedDictionary<string, IReadOnlyList<string>>> BuildGraph()
    {
        var names = AllNamespaces();
        var types = Types.InAssembly(typeof(Target).Assembly);
        var graph = new Dictionary<string, SortedDictionary<string, IReadOnlyList<string>>>(StringComparer.Ordinal);
        foreach (var from in names)
        {
            var edges = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var to in names.Where(n => n != from))
            {
                var result = types.That().ResideInNamespace(from).ShouldNot().HaveDependencyOn(to).GetResult();
                if (!result.IsSuccessful)
                {
                    edges[to] = (result.FailingTypeNames ?? []).Select(t => t.Split('+')[0]).Distinct().Order(StringComparer.Ordinal).ToList();
                }
            }

            graph[from] = edges;
        }

        return graph;
    }

    private static List<string>? FindCycle(Dictionary<string, SortedDictionary<string, IReadOnlyList<string>>> graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on stack, 2 = done
        var stack = new List<string>();
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (Visit(start) is { } found)
            {
                return found;
            }
        }

        return null;

        List<string>? Visit(string node)
        {
            if (state.GetValueOrDefault(node) == 2)
            {
                return null;
            }

            if (state.GetValueOrDefault(node) == 1)
            {
                return [.. stack.Skip(stack.IndexOf(node)), node];
            }

            state[node] = 1;
            stack.Add(node);
            foreach (var next in graph.GetValueOrDefault(node)?.Keys ?? Enumerable.Empty<string>())
            {
                if (Visit(next) is { } found)
                {
                    return found;
                }
            }

            stack.RemoveAt(stack.Count - 1);
            state[node] = 2;
            return null;
        }
    }

    private static string Describe(List<string> cycle, Dictionary<string, SortedDictionary<string, IReadOnlyList<string>>> graph) =>
        string.Join(" -> ", cycle) + "\n" + string.Join("\n", cycle.Zip(cycle.Skip(1))
            .Select(p => $"  {p.First} -> {p.Second} via {string.Join(", ", graph[p.First][p.Second])}"));
}
