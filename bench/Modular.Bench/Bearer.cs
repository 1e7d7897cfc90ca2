/// <summary>The token the bench scripts make with the host's own <c>token</c> command (MODULAR_TOKEN).</summary>
internal static class Bearer
{
    public static void Authorize(HttpClient http)
    {
        if (Environment.GetEnvironmentVariable("MODULAR_TOKEN") is { Length: > 0 } token)
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }
}
