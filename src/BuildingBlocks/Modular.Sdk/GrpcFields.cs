
namespace Modular.Sdk;

/// <summary>
/// Reads the fields of a gRPC request that proto cannot type (a UUID is a string there), collecting what does not
/// read into one INVALID_ARGUMENT with a violation per field, as REST's 400 lists every field. Field names are given
/// as REST names them (<c>lines[0].productId</c>); the answer names them as proto does (<c>lines[0].product_id</c>).
/// </summary>
public sealed class GrpcFields
{
    private readonly FieldErrors _errors = new();

    /// <summary>A UUID; an empty string is the empty id, which the use case's own rules answer (required, not found).</summary>
    public Guid Id(string value, string field)
    {
        if (value.Length == 0) return Guid.Empty;
        if (Guid.TryParse(value, out var id)) return id;
        _errors.Add(field, "Not a valid id: a UUID such as 01936b2e-0000-7000-8000-000000000001.");
        return Guid.Empty;
    }

    public void ThrowIfAny() => GrpcProblems.ThrowIfAny(_errors.ToProblem());

    /// <summary>One id, read or refused at once.</summary>
    public static Guid RequireId(string value, string field)
    {
        var fields = new GrpcFields();
        var id = fields.Id(value, field);
        fields.ThrowIfAny();
        return id;
    }
}
