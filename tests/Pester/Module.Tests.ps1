BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $ManifestPath = Get-TestManifestPath
    $ModulePath = Get-TestModulePath
    Import-TestModule
}

Describe 'The built module' {
    It 'has a manifest that Test-ModuleManifest accepts' {
        $manifest = Test-ModuleManifest -Path $ManifestPath -ErrorAction Stop
        $manifest.Name | Should -Be 'SeedreamPS'
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
        $manifest.CompatiblePSEditions | Should -Contain 'Desktop'
        $manifest.CompatiblePSEditions | Should -Contain 'Core'
    }

    It 'exports exactly the SeedreamPS cmdlets' {
        $names = (Get-Command -Module SeedreamPS).Name | Sort-Object
        $names | Should -Be @('Connect-Seedream', 'ConvertFrom-SeedreamCallback', 'Disconnect-Seedream', 'Export-SeedreamGallery', 'Get-SeedreamImageInfo', 'Get-SeedreamModel', 'Get-SeedreamTask', 'Get-SeedreamUsage', 'New-SeedreamImage', 'Save-SeedreamImage', 'Wait-SeedreamTask')
    }

    It 'keeps third-party assemblies in dependencies/ and its own at the root' {
        Join-Path $ModulePath 'SeedreamPS.dll' | Should -Exist
        Join-Path $ModulePath 'SeedreamPS.Core.dll' | Should -Exist
        Join-Path $ModulePath 'dependencies/System.Text.Json.dll' | Should -Exist
        Join-Path $ModulePath 'System.Text.Json.dll' | Should -Not -Exist
        Join-Path $ModulePath 'System.Management.Automation.dll' | Should -Not -Exist
    }

    It 'can use System.Text.Json through SeedreamPS.Core once imported' {
        $adapter = [SeedreamPS.Core.Gateways.GatewayAdapters]::For('EvoLink')
        $parsed = $adapter.ParseError(400, '{"error":{"code":"invalid_parameters","message":"bad","type":"invalid_request_error"}}')
        $parsed.ErrorCode | Should -Be 'invalid_parameters'
    }
}

Describe 'Help' {
    It '<Name> has a synopsis, a description, parameter descriptions and at least two examples' -ForEach @(
        @{ Name = 'Connect-Seedream' }, @{ Name = 'ConvertFrom-SeedreamCallback' }, @{ Name = 'Disconnect-Seedream' }, @{ Name = 'Export-SeedreamGallery' }, @{ Name = 'Get-SeedreamModel' }, @{ Name = 'Get-SeedreamImageInfo' }, @{ Name = 'New-SeedreamImage' },
        @{ Name = 'Get-SeedreamTask' }, @{ Name = 'Get-SeedreamUsage' }, @{ Name = 'Wait-SeedreamTask' }, @{ Name = 'Save-SeedreamImage' }
    ) {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # Without a help file PowerShell makes the synopsis from the syntax, which starts with the name.
        $help.Synopsis.Trim() | Should -Not -BeLike "$Name *"
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($parameter in @($help.Parameters.Parameter)) {
            ($parameter.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) needs a description"
        }
    }

    It 'shows the written synopsis' {
        (Get-Help Connect-Seedream).Synopsis | Should -Be 'Connects the session to a Seedream gateway with an API key.'
    }

    It 'has an about_SeedreamPS topic' {
        (Get-Help about_SeedreamPS | Out-String) | Should -Match 'Import-Csv'
    }
}

Describe 'Tab completion' {
    It 'completes -Model with the chosen gateway''s models' {
        $line = 'New-SeedreamImage -Gateway LinkModel -Model '
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Be @('seedream-4.0', 'seedream-4.5', '4', '4.0', '4.5')
    }

    It 'completes -Model with every model when no gateway is given' {
        $line = 'New-SeedreamImage -Model doubao'
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Contain 'doubao-seedream-4.5'
        $result.CompletionMatches.CompletionText | Should -Not -Contain 'seedream-4.0'
    }

    It 'completes -Size with ratios' {
        $line = 'New-SeedreamImage -Size 16'
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Contain '16:9'
    }
}

Describe 'Validation attributes read the catalogue' {
    BeforeAll { $parameters = (Get-Command New-SeedreamImage).Parameters }

    It 'Quality offers exactly the catalogue''s tiers' {
        $attribute = $parameters['Quality'].Attributes | Where-Object { $_ -is [SeedreamPS.Validation.ValidateQualityAttribute] }
        $attribute.Choices | Should -Be ([SeedreamPS.Core.Catalog.ModelCatalog]::AllQualities)
    }

    It 'PromptPriority offers exactly the catalogue''s priorities' {
        $attribute = $parameters['PromptPriority'].Attributes | Where-Object { $_ -is [SeedreamPS.Validation.ValidatePromptPriorityAttribute] }
        $attribute.Choices | Should -Be ([SeedreamPS.Core.Catalog.ModelCatalog]::AllPromptPriorities)
    }

    It 'Count is bounded by the catalogue' {
        $range = $parameters['Count'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }
        $range.MinRange | Should -Be ([SeedreamPS.Core.Catalog.ModelCatalog]::MinImages)
        $range.MaxRange | Should -Be ([SeedreamPS.Core.Catalog.ModelCatalog]::MaxImages)
    }
}

Describe 'The simulator' {
    BeforeAll { $sim = Start-SeedreamSimulator -LatencyMs 0 }
    AfterAll { Stop-SeedreamSimulator $sim }

    It 'prints its loopback URL as the first line' {
        $sim.Uri | Should -Match '^http://127\.0\.0\.1:\d+$'
    }

    It 'answers an EvoLink create with a task object' {
        $headers = @{ Authorization = "Bearer $($sim.ApiKey)" }
        $body = @{ model = 'doubao-seedream-4.0'; prompt = 'a lighthouse'; size = '16:9' } | ConvertTo-Json
        $task = Invoke-RestMethod -Method Post -Uri "$($sim.EvoLinkUri)/v1/images/generations" -Headers $headers -Body $body -ContentType 'application/json'
        $task.object | Should -Be 'image.generation.task'
        $task.id | Should -Match '^task-unified-'
    }

    It 'refuses a wrong key with 401' {
        $headers = @{ Authorization = 'Bearer wrong' }
        { Invoke-RestMethod -Method Post -Uri "$($sim.EvoLinkUri)/v1/images/generations" -Headers $headers -Body '{"prompt":"p"}' -ContentType 'application/json' } |
            Should -Throw
    }
}
